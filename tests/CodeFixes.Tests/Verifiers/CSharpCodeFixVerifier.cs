using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace PtGuard.CodeFixes.Tests.Verifiers;

/// <summary>
/// One rule and its fix over sources compiled against .NET 8's reference pack and PtGuard.Runtime, the protocol chosen
/// by .editorconfig. The test framework applies the fix, then Fix All in document, project and solution scope, and
/// checks that the fixed code compiles and that the rule reports nothing more.
/// </summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>A diagnostic of the rule, to locate with <c>.WithLocation</c> or <c>.WithSpan</c>.</summary>
    public static DiagnosticResult Diagnostic() => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic();

    /// <summary>Verifies that <paramref name="source"/> (with markup) becomes <paramref name="fixedSource"/> under Protocol A.</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource) => VerifyCodeFixAsync(source, fixedSource, "a");

    /// <summary>Verifies that <paramref name="source"/> becomes <paramref name="fixedSource"/> under <paramref name="protocol"/>.</summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource, string protocol)
    {
        var test = new Test(protocol) { TestCode = source, FixedCode = fixedSource };
        return test.RunAsync();
    }

    /// <summary>The test with PtGuard.Runtime referenced and the protocol set.</summary>
    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test(string protocol = "a")
        {
            ReferenceAssemblies = TestReferences.Net80;
            TestState.AdditionalReferences.Add(TestReferences.Runtime);
            TestState.AnalyzerConfigFiles.Add(TestReferences.EditorConfig(protocol));
        }
    }
}

/// <summary>What every code-fix test compiles against.</summary>
public static class TestReferences
{
    public static ReferenceAssemblies Net80 { get; } = ReferenceAssemblies.Net.Net80;

    public static MetadataReference Runtime { get; } = MetadataReference.CreateFromFile(typeof(PtGuard.Runtime.Kernel).Assembly.Location);

    /// <summary>An .editorconfig choosing the protocol.</summary>
    public static (string, string) EditorConfig(string protocol) => ("/.editorconfig", $"root = true\n\n[*.cs]\nptguard_protocol = {protocol}\n");
}
