using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Kinds = PtGuard.Analyzers.DiagnosticPropertyKeys.MalformedKinds;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0006: a lock cycle that does not have the shape the protocol needs.</summary>
public sealed class PTG0006MalformedLockCycleAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.MalformedLockCycle,
        "Malformed lock cycle",
        "Malformed lock cycle: {0}{1}",
        DiagnosticCategories.Freeing,
        DiagnosticSeverity.Warning,
        "The cycle is exactly `if (StaticBranchUnlikely(walkerKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }`: a read lock (a write lock blocks every reader and deadlocks under a held read lock), of init_mm (the lock the walker holds), guarded by the walker key, released on every path, with nothing in between.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        // One diagnostic per lock: a lock never released is the first thing to fix.
        var reported = new System.Collections.Generic.HashSet<IOperation>();
        foreach (var c in report.OfType<CycleFact>().OrderBy(c => c.Malformation == Kinds.NoUnlock ? 0 : 1))
        {
            var text = c.Malformation switch
            {
                Kinds.NoUnlock => $"the lock of `{c.Mm}` taken here is not released",
                Kinds.NoLock => $"`{c.Mm}` is unlocked here without a matching lock",
                Kinds.WriteLock => $"a write lock of `{c.Mm}` where the cycle needs MmapReadLock; it blocks every reader and deadlocks if the caller holds the read lock",
                Kinds.WrongMm => $"the cycle locks `{c.Mm}`, not InitMm, whose lock the walker holds",
                Kinds.WrongKey => $"the cycle is guarded by `{KeyText(c)}`, not the walker key {reporter.WalkerKeyText}, so it never waits for a walker",
                Kinds.WorkInside => $"`{c.Work?.Syntax}` runs between the lock and the unlock; take and drop the lock immediately",
                _ => null,
            };
            if (text is null || !reported.Add(c.ReportAt)) continue;
            var b = reporter.Properties(c, c.Malformation == Kinds.NoLock ? Step.Unlock : Step.Cycle, "Misplaced");
            b[DiagnosticPropertyKeys.Malformation] = c.Malformation;
            b[DiagnosticPropertyKeys.Mm] = c.Mm;
            RuleReporter.Position(b, c, DiagnosticPropertyKeys.LockPosition, c.Site);
            RuleReporter.Position(b, c, DiagnosticPropertyKeys.UnlockPosition, c.Unlock);
            RuleReporter.Position(b, c, DiagnosticPropertyKeys.KeyTestPosition, c.GuardSite);
            reporter.Report(c, b.ToImmutable(), text, c.ViaCall is { } via ? $" (inside {via})" : c.PathNote);
        }
    }

    private static string KeyText(CycleFact c) =>
        c.GuardSite is Microsoft.CodeAnalysis.Operations.IInvocationOperation test && test.Arguments.Length > 0 ? test.Arguments[0].Value.Syntax.ToString() : "another key";
}
