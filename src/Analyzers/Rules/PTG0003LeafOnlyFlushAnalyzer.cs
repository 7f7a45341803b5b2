using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0003: a table is freed after a last-level-only flush.</summary>
public sealed class PTG0003LeafOnlyFlushAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.LeafOnlyFlush,
        "Leaf-only flush before freeing a table",
        "`{0}` is freed{1} after FlushTlbKernelRange, which invalidates last-level entries only (TLBI VAALE1IS): walk caches keep their pointer to the table; use FlushTlbKernelPgtable({2})",
        DiagnosticCategories.Freeing,
        DiagnosticSeverity.Warning,
        "Freeing an intermediate table needs a flush of every level, walk caches included (FlushTlbKernelPgtable, TLBI VAAE1IS). FlushTlbKernelRange (TLBI VAALE1IS) leaves the hardware walker's cached pointer to the freed table in place.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var f in report.OfType<FreeFact>())
        {
            if (f.Break != FreeBreak.LeafOnlyFlush) continue;
            reporter.Report(f, FreeProperties.Build(reporter, f, Step.Flush, "Misplaced"), f.Table, FreeProperties.Via(f), f.Address ?? "addr");
        }
    }
}
