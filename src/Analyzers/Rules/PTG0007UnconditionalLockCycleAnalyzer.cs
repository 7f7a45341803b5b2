using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0007 (info): the lock cycle is correct but taken on every free.</summary>
public sealed class PTG0007UnconditionalLockCycleAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.UnconditionalLockCycle,
        "Unconditional lock cycle",
        "The lock cycle{0} runs on every free; guard it with `if (StaticBranchUnlikely({1}))` so that it costs nothing while no walker runs",
        DiagnosticCategories.Freeing,
        DiagnosticSeverity.Info,
        "Taking init_mm's read lock on every free is correct but contends with every other user of init_mm's mmap_lock. Protocol A takes it only when a walker has raised the walker key; a freer that reads the key off after the flush is safe by the barrier argument.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var c in report.OfType<CycleFact>())
        {
            if (c.Malformation != CycleFact.Unguarded) continue;
            var b = reporter.Properties(c, Step.Cycle, "Misplaced");
            RuleReporter.Position(b, c, DiagnosticPropertyKeys.LockPosition, c.Site);
            RuleReporter.Position(b, c, DiagnosticPropertyKeys.UnlockPosition, c.Unlock);
            RuleReporter.Position(b, c, DiagnosticPropertyKeys.FreePosition, c.ProtectedFree);
            RuleReporter.Position(b, c, DiagnosticPropertyKeys.FlushPosition, c.ProtectedFlush);
            reporter.Report(c, b.ToImmutable(), c.ViaCall is { } via ? $" (inside {via})" : "", reporter.WalkerKeyText);
        }
    }
}
