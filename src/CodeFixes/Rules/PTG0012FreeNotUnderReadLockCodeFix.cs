using System.Collections.Generic;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.CodeFixes.Rules;

/// <summary>
/// PTG0012 (Protocol B): holds init_mm's read lock across the free as the 2026 <c>vmap_try_huge_pmd</c> does:
/// <c>if (!MmapReadTrylock(InitMm)) return …;</c> before the table is derived (or cleared), <c>MmapReadUnlock(InitMm);</c>
/// after the free. When the trylock fails the method gives up (<c>return;</c>, <c>false</c>, <c>0</c> or <c>default</c>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0012FreeNotUnderReadLockCodeFix)), Shared]
public sealed class PTG0012FreeNotUnderReadLockCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Hold the read lock (trylock) across the free.</summary>
    public const string HoldReadLockKey = "PTG0012HoldReadLock";

    private protected override string DiagnosticId => DiagnosticIds.FreeNotUnderReadLock;

    private protected override FixPlan? Plan(FixSite site)
    {
        var free = FixSite.StatementInBlock(site.InvocationAt(Keys.FreePosition) ?? site.ReportedInvocation);
        if (free is null or ReturnStatementSyntax || free.Parent is not BlockSyntax block) return null;
        // The region starts at the first step of this free found in the same block: derivation, clear or flush.
        var start = new[] { Keys.DerivePosition, Keys.ClearPosition, Keys.FlushPosition }
            .Select(k => FixSite.StatementIn(site.InvocationAt(k), block))
            .Where(s => s is not null && s.SpanStart <= free.SpanStart)
            .OrderBy(s => s!.SpanStart)
            .FirstOrDefault() ?? free;
        var region = block.Statements.Skip(block.Statements.IndexOf(start)).Take(block.Statements.IndexOf(free) - block.Statements.IndexOf(start) + 1).ToList();
        if (region.Any(LeavesEarly)) return null; // the unlock would be skipped on that path
        var position = start.SpanStart;
        if (Snippets.GiveUp(site, free) is not { } giveUp || site.InitMm(position) is not { } mm || site.Kernel.ReadTrylock is not { } trylock || site.Kernel.ReadUnlock is not { } unlock) return null;
        var take = site.NewStatement($"if (!{site.Call(trylock, position)}({mm}))\n    {giveUp}", start);
        var release = site.NewStatement($"{site.Call(unlock, position)}({mm});", free);
        return new FixPlan($"Hold {mm}'s read lock across the free ({trylock.Name}, {unlock.Name})", HoldReadLockKey, site, editor =>
        {
            editor.InsertBefore(start, take);
            editor.InsertAfter(free, release);
        });
    }

    /// <summary>Whether control can leave <paramref name="statement"/> other than by falling through (lambdas and local functions aside).</summary>
    internal static bool LeavesEarly(StatementSyntax statement) =>
        statement.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .Any(n => n is ReturnStatementSyntax or ThrowStatementSyntax or GotoStatementSyntax or YieldStatementSyntax
                || (n is BreakStatementSyntax or ContinueStatementSyntax && !InsideLoopOrSwitch(n, statement)));

    private static bool InsideLoopOrSwitch(SyntaxNode jump, StatementSyntax outer) =>
        jump.Ancestors().TakeWhile(a => a != outer).Any(a => a is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or SwitchStatementSyntax);
}
