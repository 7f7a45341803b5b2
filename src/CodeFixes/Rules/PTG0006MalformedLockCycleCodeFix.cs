using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;
using Kinds = PtGuard.Analyzers.DiagnosticPropertyKeys.MalformedKinds;

namespace PtGuard.CodeFixes.Rules;

/// <summary>
/// PTG0006: gives the cycle the shape the protocol needs: adds the missing unlock right after the lock, turns a write
/// lock into a read lock, locks <c>InitMm</c>, tests the walker key, or moves the unlock up to the lock so that no work
/// runs between them. An unlock without a lock is not determinable (remove it, or add the lock, by hand).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0006MalformedLockCycleCodeFix)), Shared]
public sealed class PTG0006MalformedLockCycleCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Repair the cycle (unlock, read lock, InitMm, walker key, nothing inside).</summary>
    public const string RepairCycleKey = "PTG0006RepairCycle";

    private protected override string DiagnosticId => DiagnosticIds.MalformedLockCycle;

    private protected override FixPlan? Plan(FixSite site)
    {
        var lockCall = site.InvocationAt(Keys.LockPosition);
        var unlockCall = site.InvocationAt(Keys.UnlockPosition);
        return site.Property(Keys.Malformation) switch
        {
            Kinds.NoUnlock when site.Property(Keys.Protocol) == "a" => AddUnlock(site, lockCall),
            Kinds.WriteLock => ReadLock(site, lockCall, unlockCall),
            Kinds.WrongMm => LockInitMm(site, lockCall, unlockCall),
            Kinds.WrongKey => TestWalkerKey(site),
            Kinds.WorkInside => UnlockRightAway(site, lockCall, unlockCall),
            _ => null,
        };
    }

    private static FixPlan? AddUnlock(FixSite site, InvocationExpressionSyntax? lockCall)
    {
        if (FixSite.CallStatement(lockCall) is not { } statement || site.Target(lockCall!) is not { } acquire || site.Kernel.ReleaseFor(acquire) is not { } release) return null;
        var mm = lockCall!.ArgumentList.Arguments.FirstOrDefault()?.Expression.ToString();
        if (mm is null) return null;
        var unlock = site.NewStatement($"{site.Call(release, statement.Span.End)}({mm});", statement);
        return new FixPlan($"Release the lock right after taking it ({release.Name})", RepairCycleKey, site, editor => editor.InsertAfter(statement, unlock));
    }

    private static FixPlan? ReadLock(FixSite site, InvocationExpressionSyntax? lockCall, InvocationExpressionSyntax? unlockCall)
    {
        if (lockCall is null || unlockCall is null || site.Kernel.ReadLock is not { } rdlock || site.Kernel.ReadUnlock is not { } unlock) return null;
        var newLock = Renamed(site, lockCall, rdlock);
        var newUnlock = Renamed(site, unlockCall, unlock);
        return new FixPlan($"Take the read lock ({rdlock.Name}/{unlock.Name})", RepairCycleKey, site, editor =>
        {
            editor.ReplaceNode(lockCall, newLock);
            editor.ReplaceNode(unlockCall, newUnlock);
        });
    }

    private static FixPlan? LockInitMm(FixSite site, InvocationExpressionSyntax? lockCall, InvocationExpressionSyntax? unlockCall)
    {
        if (lockCall?.ArgumentList.Arguments.FirstOrDefault() is not { } lockMm || site.InitMm(lockCall.SpanStart) is not { } initMm) return null;
        var unlockMm = unlockCall?.ArgumentList.Arguments.FirstOrDefault();
        ExpressionSyntax InitMm(ExpressionSyntax old) => SyntaxFactory.ParseExpression(initMm).WithTriviaFrom(old);
        return new FixPlan($"Lock {initMm}, whose lock the walker holds", RepairCycleKey, site, editor =>
        {
            editor.ReplaceNode(lockMm.Expression, InitMm(lockMm.Expression));
            if (unlockMm is not null) editor.ReplaceNode(unlockMm.Expression, InitMm(unlockMm.Expression));
        });
    }

    private static FixPlan? TestWalkerKey(FixSite site)
    {
        if (site.InvocationAt(Keys.KeyTestPosition)?.ArgumentList.Arguments.FirstOrDefault() is not { } keyArgument) return null;
        if (site.WalkerKey(keyArgument.SpanStart) is not { } walkerKey) return null;
        var replacement = SyntaxFactory.ParseExpression(walkerKey).WithTriviaFrom(keyArgument.Expression);
        return new FixPlan($"Test the walker key {walkerKey}", RepairCycleKey, site, editor => editor.ReplaceNode(keyArgument.Expression, replacement));
    }

    private static FixPlan? UnlockRightAway(FixSite site, InvocationExpressionSyntax? lockCall, InvocationExpressionSyntax? unlockCall)
    {
        var lockStatement = FixSite.CallStatement(lockCall);
        var unlockStatement = FixSite.CallStatement(unlockCall);
        if (!FixSite.SameBlockBefore(lockStatement, unlockStatement)) return null;
        return new FixPlan("Release the lock right after taking it", RepairCycleKey, site, editor => Edits.MoveAfter(editor, new StatementSyntax[] { unlockStatement! }, lockStatement!, site.Eol));
    }

    private static InvocationExpressionSyntax Renamed(FixSite site, InvocationExpressionSyntax call, IMethodSymbol replacement) =>
        site.Target(call) is { } old && SymbolEqualityComparer.Default.Equals(old.ContainingType, replacement.ContainingType)
            ? Edits.Rename(call, replacement.Name)
            : call.WithExpression(SyntaxFactory.IdentifierName(site.Call(replacement, call.SpanStart)).WithTriviaFrom(call.Expression));
}
