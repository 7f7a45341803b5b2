using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Flow;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.Analyzers.Rules;

/// <summary>PTG0010 (Protocol A): the walker-key bracket exists but not on every path.</summary>
public sealed class PTG0010KeyBracketNotOnAllPathsAnalyzer : PtGuardAnalyzer
{
    internal static readonly DiagnosticDescriptor Descriptor = RuleDescriptors.Create(
        DiagnosticIds.KeyBracketNotOnAllPaths,
        "Walker-key bracket missing on some path",
        "{0}{1}",
        DiagnosticCategories.Walker,
        DiagnosticSeverity.Warning,
        "The walker key must be raised before the walk on every path that reaches it, and lowered again on every path that leaves the method (a return or throw between StaticBranchInc and StaticBranchDec leaves the key raised forever: every later free pays the lock cycle). Put the decrement in a finally.");

    private protected override DiagnosticDescriptor Rule => Descriptor;

    private protected override void Report(MethodReport report, RuleReporter reporter)
    {
        foreach (var w in report.OfType<WalkFact>())
        {
            if (!w.SomePaths) continue;
            var b = reporter.Properties(w, Step.KeyInc, "Missing");
            b[DiagnosticPropertyKeys.Mm] = w.Mm;
            RuleReporter.Position(b, w, DiagnosticPropertyKeys.WalkPosition, w.Site);
            reporter.Report(w, b.ToImmutable(), $"`{w.ReportAt.Syntax}` walks `{w.Mm}` without the walker key raised", w.PathNote);
        }
        foreach (var u in report.OfType<UnbalancedKeyFact>())
        {
            var b = reporter.Properties(u, Step.KeyDec, "Missing");
            RuleReporter.Position(b, u, DiagnosticPropertyKeys.WalkPosition, u.Site);
            reporter.Report(u, b.ToImmutable(), $"`{u.ReportAt.Syntax}` is not matched by StaticBranchDec on every path out of the method (use try/finally)", u.PathNote);
        }
    }
}
