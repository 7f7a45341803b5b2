using System.Collections.Generic;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.CodeFixes.Rules;

/// <summary>
/// PTG0005: moves the misplaced step to right after the step it must follow (a flush after the clear, a cycle after the
/// flush, a free after the step it came before); Fix All repeats this until the order is clear, flush, cycle, free.
/// When the early flush or cycle is not a statement of the free's block (it ran inside a helper, such as the child
/// tables' own flushes in <c>pud_free_pmd_page</c>), the table gets a flush or cycle of its own in the right place.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0005StepsOutOfOrderCodeFix)), Shared]
public sealed class PTG0005StepsOutOfOrderCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Put the misplaced step after the step it must follow.</summary>
    public const string MoveStepKey = "PTG0005MoveStep";

    private protected override string DiagnosticId => DiagnosticIds.StepsOutOfOrder;

    private protected override FixPlan? Plan(FixSite site)
    {
        var step = site.Property(Keys.Step);
        var before = site.Property(Keys.Before);
        var free = FixSite.StatementInBlock(site.InvocationAt(Keys.FreePosition));
        if (before is null || free is null) return null;
        var block = free.Parent!;
        var target = FixSite.StatementIn(site.InvocationAt(Keys.BeforePosition), block);
        IReadOnlyList<StatementSyntax>? moved = step switch
        {
            Step.Free => new[] { free },
            Step.Flush => FixSite.StatementInBlock(site.InvocationAt(Keys.FlushPosition)) is { } flush && flush.Parent == block ? new[] { flush } : LastBefore(target, s => IsFlush(site, s)),
            Step.Cycle => site.CycleStatements(site.InvocationAt(Keys.LockPosition)) is { } cycle && cycle[0].Parent == block ? cycle : LastCycleBefore(site, target),
            _ => null,
        };
        // Only forward, within one block: moving a step into or out of a branch or loop would change when it runs.
        if (moved is not null && target is not null && !moved.Contains(target) && target.SpanStart > moved[moved.Count - 1].SpanStart)
        {
            var what = step == Step.Free ? "the free" : step == Step.Flush ? "the flush" : "the lock cycle";
            var after = before == Step.Clear ? "the clear" : before == Step.Flush ? "the flush" : "the lock cycle";
            return new FixPlan($"Move {what} after {after}", MoveStepKey, site, editor => Edits.MoveAfter(editor, moved, target, site.Eol));
        }
        // The early step is not this table's own statement: give the table its own, where it belongs.
        return step switch
        {
            Step.Flush => PTG0002MissingFlushCodeFix.InsertFlush(site, MoveStepKey),
            Step.Cycle => PTG0004MissingLockCycleCodeFix.InsertCycleBeforeFree(site, MoveStepKey),
            _ => null,
        };
    }

    private static IReadOnlyList<StatementSyntax>? LastBefore(StatementSyntax? target, System.Func<StatementSyntax, bool> match) =>
        target?.Parent is BlockSyntax block && block.Statements.TakeWhile(s => s != target).LastOrDefault(match) is { } found ? new[] { found } : null;

    private static bool IsFlush(FixSite site, StatementSyntax statement) =>
        statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } && site.Target(call) is { } m && KernelApi.Has(m, "FlushesWalkCacheAttribute");

    private static IReadOnlyList<StatementSyntax>? LastCycleBefore(FixSite site, StatementSyntax? target)
    {
        if (target?.Parent is not BlockSyntax block) return null;
        foreach (var candidate in block.Statements.TakeWhile(s => s != target).Reverse())
        {
            var lockCall = candidate.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>()
                .FirstOrDefault(c => site.Target(c) is { } m && KernelApi.Has(m, "AcquiresLockAttribute"));
            if (site.CycleStatements(lockCall) is { } cycle && cycle[0] == candidate) return cycle;
        }
        return null;
    }
}
