using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace PtGuard.Analyzers.Tests.Verifiers;

/// <summary>Runs one rule over sources compiled against PtGuard.Runtime, with the protocol chosen by .editorconfig.</summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Verifies <paramref name="source"/> under Protocol A: the markup's diagnostics and no others.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected) => VerifyAnalyzerAsync(source, "a", expected);

    /// <summary>Verifies <paramref name="source"/> under <paramref name="protocol"/> (<c>a</c> or <c>b</c>).</summary>
    public static Task VerifyAnalyzerAsync(string source, string protocol, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(PtGuardTestReferences.EditorConfig(protocol));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>The test with PtGuard.Runtime referenced.</summary>
    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = PtGuardTestReferences.Net80;
            TestState.AdditionalReferences.Add(PtGuardTestReferences.Runtime);
        }
    }
}

/// <summary>Runs every rule at once, for sources where several rules meet (and to check that the others stay quiet).</summary>
public static class AllRulesVerifier
{
    public static Task VerifyAsync(string source, string protocol = "a", params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(PtGuardTestReferences.EditorConfig(protocol));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private sealed class Test : CSharpAnalyzerTest<PtGuard.Analyzers.Rules.PTG0001MissingClearAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = PtGuardTestReferences.Net80;
            TestState.AdditionalReferences.Add(PtGuardTestReferences.Runtime);
        }

        protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => PtGuardTestReferences.AllAnalyzers;
    }
}
