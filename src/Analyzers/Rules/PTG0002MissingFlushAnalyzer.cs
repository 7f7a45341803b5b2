using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0002: no walk-cache flush between the clear and the free.</summary>
public sealed class PTG0002MissingFlushAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.MissingFlush,
        "Table freed without a walk-cache flush after the clear",
        "`{0}` is freed{1} without FlushTlbKernelPgtable({2}) after clearing `{3}`{4}; walk caches may still point at the table, and nothing orders the clear before the free",
        DiagnosticCategories.Freeing,
        DiagnosticSeverity.Warning,
        "After clearing the entry and before freeing the table, FlushTlbKernelPgtable(addr) must run on every path: it invalidates the walk caches for the address (TLBI VAAE1IS) and its DSBs order the clear before everything after it.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var f in report.OfType<FreeFact>())
        {
            if (f.Break != FreeBreak.MissingFlush) continue;
            // A walk-cache flush of another address does not invalidate this table's walk-cache entry.
            var other = f.FlushSite is IInvocationOperation flush && flush.Arguments.Length > 0 && flush.Arguments[0].Value.Syntax.ToString() is var text && text != f.Address && flush.TargetMethod.Name != "FlushTlbKernelRange"
                ? $" (the flush of `{text}` covers another address)"
                : "";
            reporter.Report(f, FreeProperties.Build(reporter, f, Step.Flush, "Missing"), f.Table, FreeProperties.Via(f), f.Address ?? "addr", f.Entry ?? "the entry", other + f.PathNote);
        }
    }
}
