using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0008 (Protocol A): a table freed without its own cycle while the table above it is still reachable.</summary>
public sealed class PTG0008LockFreeChildNotIsolatedAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.LockFreeChildNotIsolated,
        "Lock-free child free of a table that is not isolated",
        "`{0}` is freed{1} without a lock cycle{2}, but its table is not isolated{3}: clear {4}, flush and run the key-guarded cycle first",
        DiagnosticCategories.Freeing,
        DiagnosticSeverity.Warning,
        "A child table may be freed without its own lock cycle only when the table holding its entry is already unreachable: that table's entry cleared, flushed and cycled on every path before (pud_free_pmd_page isolates the PMD table, then frees the PTE tables with acquire_mmap_lock = false).");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var f in report.OfType<FreeFact>())
        {
            if (f.Break != FreeBreak.LockFreeNotIsolated) continue;
            var why = f.LockFreeArgument is { } arg ? $" ({arg})" : "";
            var parent = f.ParentEntry is { } p ? $"`{p}`" : "the parent entry";
            reporter.Report(f, FreeProperties.Build(reporter, f, Step.Cycle, "Missing"), f.Table, FreeProperties.Via(f), why, f.PathNote, parent);
        }
    }
}
