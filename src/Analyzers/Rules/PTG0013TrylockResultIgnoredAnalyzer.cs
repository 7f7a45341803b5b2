using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0013: MmapReadTrylock's result is not tested, so the code proceeds even when it failed.</summary>
public sealed class PTG0013TrylockResultIgnoredAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.TrylockResultIgnored,
        "Protocol B: MmapReadTrylock result ignored",
        "The result of `{0}` is ignored{1}: when the trylock fails (a walker holds or waits for the write lock) the code goes on without the lock{2}",
        DiagnosticCategories.Locking,
        DiagnosticSeverity.Warning,
        "mmap_read_trylock fails whenever a writer holds or waits for the lock; Protocol B's vmap_try_huge_* returns 0 (no huge mapping) in that case. Freeing, or unlocking, after an untested trylock frees under a running walk or releases a lock not held.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        // One diagnostic per trylock: the free it lets through says more than "ignored".
        var reported = new System.Collections.Generic.HashSet<IOperation>();
        foreach (var f in report.OfType<FreeFact>())
        {
            if (f.Break != FreeBreak.TrylockIgnored) continue;
            foreach (var pending in f.IgnoredTrylocks)
            {
                var at = pending.Anchor ?? pending.Site;
                if (!reported.Add(at)) continue;
                var b = reporter.Properties(f, Step.HeldLock, "Missing");
                b[DiagnosticPropertyKeys.Table] = f.Table;
                RuleReporter.Position(b, f, DiagnosticPropertyKeys.FreePosition, f.Site);
                reporter.Report(at, f, b.ToImmutable(), at.Syntax.ToString(), $" before `{f.Table}` is freed at line {f.ReportAt.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1}", ", so the table is freed under a walk");
            }
        }
        foreach (var t in report.OfType<TrylockFact>())
        {
            if (!reported.Add(t.ReportAt)) continue;
            var b = reporter.Properties(t, Step.HeldLock, "Missing");
            b[DiagnosticPropertyKeys.Mm] = t.Mm;
            reporter.Report(t, b.ToImmutable(), t.ReportAt.Syntax.ToString(), "", "");
        }
    }
}
