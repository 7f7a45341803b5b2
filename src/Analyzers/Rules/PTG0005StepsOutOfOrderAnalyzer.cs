using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0005: the steps happen, but not in the order clear, flush, cycle, free.</summary>
public sealed class PTG0005StepsOutOfOrderAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.StepsOutOfOrder,
        "Table-freeing steps out of order",
        "`{0}`{1}{3}: {2}",
        DiagnosticCategories.Freeing,
        DiagnosticSeverity.Warning,
        "The order is clear, walk-cache flush, (Protocol A) key-guarded lock cycle, free. On arm64 the flush's barriers are what order the clear before the key test; a cycle before the flush, a flush before the clear or a free before either leaves a window in which a walker reads the freed table.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var f in report.OfType<FreeFact>())
        {
            var entry = f.Entry ?? "the entry";
            (string Step, string? Before, string Text)? wrong = f.Break switch
            {
                FreeBreak.FlushBeforeClear => (Step.Flush, Step.Clear, $"the walk-cache flush comes before the clear of `{entry}`; a walker can refill the walk cache in between"),
                FreeBreak.FreeBeforeClear => (Step.Free, Step.Clear, $"the table is freed before `{entry}` is cleared"),
                FreeBreak.DerivedAfterClear => (Step.Clear, Step.Free, $"the table is derived from `{entry}` after `{entry}` was cleared, so it is not the table that was linked; derive it before the clear"),
                FreeBreak.FreeBeforeFlush => (Step.Free, Step.Flush, "the table is freed before the walk-cache flush"),
                FreeBreak.CycleBeforeFlush => (Step.Cycle, Step.Flush, $"the key test and lock cycle come before the walk-cache flush; on arm64 the clear of `{entry}` may be reordered after the key load, so a walker reads the old entry while the freer sees the key off"),
                FreeBreak.CycleBeforeClear => (Step.Cycle, Step.Clear, $"the lock cycle comes before the clear of `{entry}`; it waits for no walker that could still reach the table"),
                FreeBreak.FreeBeforeCycle => (Step.Free, Step.Cycle, "the table is freed before the lock cycle that should wait out the walkers"),
                FreeBreak.FreeBeforeUse => (Step.Free, null, $"the table is freed before its entries are done with: `{Use(f)}` reaches into it afterwards; free a table after its last use (its child tables first)"),
                _ => null,
            };
            if (wrong is not { } w) continue;
            reporter.Report(f, FreeProperties.Build(reporter, f, w.Step, "Misplaced", w.Before), f.Table, FreeProperties.Via(f), w.Text, f.PathNote);
        }
    }

    private static string Use(FreeFact f) => f.LateSite?.Syntax.ToString() ?? "a later step";
}
