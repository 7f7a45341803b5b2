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
/// PTG0007: guards the cycle with <c>if (StaticBranchUnlikely(walkerKey))</c>. A guarded cycle is safe only after the
/// walk-cache flush (the flush's barriers order the clear before the key test), so a cycle that came before the flush is
/// also moved after it; where the flush is not known to precede it, no fix is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0007UnconditionalLockCycleCodeFix)), Shared]
public sealed class PTG0007UnconditionalLockCycleCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Guard the cycle with the walker key.</summary>
    public const string GuardWithWalkerKeyKey = "PTG0007GuardWithWalkerKey";

    private protected override string DiagnosticId => DiagnosticIds.UnconditionalLockCycle;

    private protected override FixPlan? Plan(FixSite site)
    {
        var lockStatement = FixSite.CallStatement(site.InvocationAt(Keys.LockPosition));
        var unlockStatement = FixSite.CallStatement(site.InvocationAt(Keys.UnlockPosition));
        var flushCall = site.InvocationAt(Keys.FlushPosition);
        if (lockStatement?.Parent is not BlockSyntax block || unlockStatement?.Parent != block || flushCall is null) return null;
        var first = block.Statements.IndexOf(lockStatement);
        var last = block.Statements.IndexOf(unlockStatement);
        if (last < first) return null;
        var cycle = block.Statements.Skip(first).Take(last - first + 1).ToList();
        var flush = FixSite.StatementIn(flushCall, block);
        var moveAfterFlush = flush is not null && flush.SpanStart > unlockStatement.SpanStart;
        if (!moveAfterFlush && flushCall.SpanStart > lockStatement.SpanStart) return null;
        if (site.WalkerKey(lockStatement.SpanStart) is not { } key || site.Kernel.KeyTest is not { } test) return null;
        var guarded = site.NewStatement($"if ({site.Call(test, lockStatement.SpanStart)}({key}))\n{{\n{site.Nested(cycle)}\n}}", lockStatement);
        var title = moveAfterFlush ? $"Guard the lock cycle with {key} and move it after the flush" : $"Guard the lock cycle with {key}";
        return new FixPlan(title, GuardWithWalkerKeyKey, site, editor =>
        {
            if (moveAfterFlush)
            {
                foreach (var s in cycle) editor.RemoveNode(s, SyntaxRemoveOptions.KeepUnbalancedDirectives);
                editor.InsertAfter(flush!, guarded);
            }
            else
            {
                FixSite.ReplaceStatements(editor, cycle, new[] { guarded });
            }
        });
    }
}
