using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0012 (Protocol B): a table free not inside a held read lock of init_mm.</summary>
public sealed class PTG0012FreeNotUnderReadLockAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.FreeNotUnderReadLock,
        "Protocol B: table free outside a held init_mm read lock",
        "{0}{1}",
        DiagnosticCategories.Locking,
        DiagnosticSeverity.Warning,
        "Under Protocol B (2026) the generic vmap_try_huge_* holds mmap_read_trylock(&init_mm) across the free and the block install, and gives up when the trylock fails; ptdump walks under the write lock, so no walk can overlap the free. A helper that frees must be called with the lock held ([RequiresLock], or a private helper whose every caller holds it).");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var f in report.OfType<FreeFact>())
        {
            if (f.Break != FreeBreak.NotHeld) continue;
            reporter.Report(f, FreeProperties.Build(reporter, f, Step.HeldLock, "Missing"), $"`{f.Table}` is freed{FreeProperties.Via(f)} without holding init_mm's read lock", f.PathNote);
        }
        foreach (var r in report.OfType<RequiresLockFact>())
        {
            var b = reporter.Properties(r, Step.HeldLock, "Missing");
            reporter.Report(r, b.ToImmutable(), $"`{r.Callee}` requires init_mm's read lock, which is not held here", r.PathNote);
        }
    }
}
