using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0011 (Protocol A): the walker key switched with Enable/Disable instead of counted Inc/Dec.</summary>
public sealed class PTG0011UncountedKeyBracketAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.UncountedKeyBracket,
        "Non-counted walker-key bracket",
        "`{0}` switches the walker key without counting: when two walkers overlap, the first to finish turns the key off while the second still walks; use {1}",
        DiagnosticCategories.Walker,
        DiagnosticSeverity.Warning,
        "v5 of the arm64 patch used static_branch_enable/disable; ptdump and ptdump_check_wx can walk at once, and the first StaticBranchDisable turns the key off under the second walk, so a freer skips its lock cycle and frees a table being walked. v6 (Linux 6.18) uses the counted static_branch_inc/dec.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var u in report.OfType<UncountedKeyFact>())
        {
            var b = reporter.Properties(u, u.IsEnable ? Step.KeyInc : Step.KeyDec, "Misplaced");
            RuleReporter.Position(b, u, DiagnosticPropertyKeys.WalkPosition, u.Site);
            reporter.Report(u, b.ToImmutable(), u.ReportAt.Syntax.ToString(), u.IsEnable ? "StaticBranchInc" : "StaticBranchDec");
        }
    }
}
