using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0009 (Protocol A): a software walk of init_mm that does not raise the walker key.</summary>
public sealed class PTG0009WalkWithoutKeyBracketAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.WalkWithoutKeyBracket,
        "Walk of init_mm without the walker-key bracket",
        "`{0}` walks `{1}`{2} without raising the walker key: call StaticBranchInc({3}) before it and StaticBranchDec({3}) after it (in a finally), or freers skip their lock cycle during the walk",
        DiagnosticCategories.Walker,
        DiagnosticSeverity.Warning,
        "Under Protocol A a freer takes the lock cycle only when the walker key is raised, so every software walk of init_mm (ptdump_walk_pgd, ptdump_check_wx) is bracketed by static_branch_inc/static_branch_dec of arm64_ptdump_lock_key.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var w in report.OfType<WalkFact>())
        {
            if (w.SomePaths) continue;
            var b = reporter.Properties(w, Step.KeyInc, "Missing");
            b[DiagnosticPropertyKeys.Mm] = w.Mm;
            RuleReporter.Position(b, w, DiagnosticPropertyKeys.WalkPosition, w.Site);
            reporter.Report(w, b.ToImmutable(), w.ReportAt.Syntax.ToString(), w.Mm, w.ViaCall is { } via ? $" (inside {via})" : "", reporter.WalkerKeyText);
        }
    }
}
