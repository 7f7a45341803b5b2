using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0014: a blocking read lock of an mm whose read lock is already held.</summary>
public sealed class PTG0014NestedReadLockAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.NestedReadLock,
        "Nested read lock of an mm already held",
        "`{0}`{1} takes the read lock of `{2}` while it is already held: a writer queued in between (ptdump's MmapWriteLock) blocks it and waits for the outer read lock, a deadlock",
        DiagnosticCategories.Locking,
        DiagnosticSeverity.Warning,
        "mmap_lock is a writer-preferring rwsem: a new reader waits behind a queued writer. Holding the read lock and asking for it again (Protocol A's lock cycle inside Protocol B's held trylock) deadlocks as soon as a writer queues between the two; this is why the 2026 series reverted arm64's lock cycle.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var n in report.OfType<NestedLockFact>())
        {
            var b = reporter.Properties(n, Step.Cycle, "Misplaced");
            b[DiagnosticPropertyKeys.Mm] = n.Mm;
            RuleReporter.Position(b, n, DiagnosticPropertyKeys.LockPosition, n.Site);
            reporter.Report(n, b.ToImmutable(), n.ReportAt.Syntax.ToString(), n.ViaCall is { } via ? $" (through {via})" : "", n.Mm);
        }
    }
}
