using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0004 (Protocol A): no key-guarded lock cycle between the flush and the free.</summary>
public sealed class PTG0004MissingLockCycleAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.MissingLockCycle,
        "Protocol A: table freed without the key-guarded lock cycle",
        "`{0}` is freed{1} without `if (StaticBranchUnlikely({2})) {{ MmapReadLock(InitMm); MmapReadUnlock(InitMm); }}` after the flush{3}; a walker that read `{4}` before the clear may still be inside the table",
        DiagnosticCategories.Freeing,
        DiagnosticSeverity.Warning,
        "Under Protocol A (Linux 6.18), between the walk-cache flush and the free, the freer tests the walker key and, if a walker raised it, takes and drops init_mm's read lock, waiting out any walk in progress.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var f in report.OfType<FreeFact>())
        {
            if (f.Break != FreeBreak.MissingCycle) continue;
            reporter.Report(f, FreeProperties.Build(reporter, f, Step.Cycle, "Missing"), f.Table, FreeProperties.Via(f), reporter.WalkerKeyText, f.PathNote, f.Entry ?? "the entry");
        }
    }
}
