using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0001: a table is freed while the entry it was derived from still points at it.</summary>
public sealed class PTG0001MissingClearAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.MissingClear,
        "Table freed without clearing the entry that points at it",
        "`{0}` is freed{1}, but {2}{3}; a walker can still follow the entry into the freed page",
        DiagnosticCategories.Freeing,
        DiagnosticSeverity.Warning,
        "Before a page-table page is freed, the entry it was derived from (PmdClear/PudClear) must be cleared on every path, so that no walker can reach it again.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var f in report.OfType<FreeFact>())
        {
            if (f.Break is not (FreeBreak.MissingClear or FreeBreak.ClearedOtherEntry)) continue;
            var entry = f.Entry is null ? "its entry" : $"`{f.Entry}`";
            var what = f.Break == FreeBreak.ClearedOtherEntry
                ? $"the clear is of `{f.ClearedInstead}`, not of {entry} the table was derived from"
                : $"{entry} is not cleared";
            reporter.Report(f, FreeProperties.Build(reporter, f, Step.Clear, "Missing"), f.Table, FreeProperties.Via(f), what, f.PathNote);
        }
    }
}
