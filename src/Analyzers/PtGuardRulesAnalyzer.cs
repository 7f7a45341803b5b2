using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

// The rules' classes are analyzers for hosts and tests; the build loads them through PtGuardRulesAnalyzer only.
[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001:Missing diagnostic analyzer attribute",
    Scope = "namespaceanddescendants", Target = "~N:PtGuard.Analyzers.Rules", Justification = "Loaded through PtGuardRulesAnalyzer")]

namespace PtGuard.Analyzers;

/// <summary>
/// The analyzer a build loads: every PtGuard rule (PTG0001-PTG0014) from one compilation-start and one
/// operation-block callback. The rules' own classes (<c>Rules/</c>) carry no <see cref="DiagnosticAnalyzerAttribute"/>,
/// so a compiler or IDE does not load them a second time; tests and hosts use them one by one
/// (<see cref="PtGuardAnalyzers.All"/>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PtGuardRulesAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableArray<PtGuardAnalyzer> Rules = PtGuardAnalyzers.Create().Cast<PtGuardAnalyzer>().ToImmutableArray();

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = Rules.Select(r => r.RuleDescriptor).ToImmutableArray();

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        PtGuardAnalyzer.Register(context, Rules);
    }
}
