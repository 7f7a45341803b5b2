using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Tests.Verifiers;

namespace PtGuard.Analyzers.Tests;

/// <summary>
/// A build loads one analyzer, <see cref="PtGuardRulesAnalyzer"/>, which runs the fourteen rules from one set of
/// callbacks (the driver's cost is per analyzer and callback). It must report exactly what the rules report one by one.
/// </summary>
public class CombinedAnalyzerTests
{
    [Fact]
    public void Only_the_combined_analyzer_is_loaded_by_a_compiler()
    {
        var loaded = typeof(PtGuardAnalyzer).Assembly.GetTypes().Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null).ToList();
        Assert.Equal(new[] { typeof(PtGuardRulesAnalyzer) }, loaded);
        Assert.Equal(
            PtGuardTestReferences.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Order(StringComparer.Ordinal),
            PtGuardAnalyzers.Combined.SupportedDiagnostics.Select(d => d.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Combined_analyzer_loads_as_a_compiler_loads_it()
    {
        // A fresh load context: the compiler creates PtGuardRulesAnalyzer before anything else of the assembly is
        // initialised (a static cycle through PtGuardAnalyzers once left it without rules in every build).
        var loader = new FreshLoader();
        var reference = new AnalyzerFileReference(typeof(PtGuardAnalyzer).Assembly.Location, loader);
        var analyzers = reference.GetAnalyzers(LanguageNames.CSharp);
        var analyzer = Assert.Single(analyzers);
        Assert.Equal(nameof(PtGuardRulesAnalyzer), analyzer.GetType().Name);
        Assert.Equal(14, analyzer.SupportedDiagnostics.Length);
        var compilation = AnalyzerRunner.Compile(PtGuardTestReferences.Class("""
            public static void Free(PmdPtr pmdp, ulong addr)
            {
                var table = PteOffsetKernel(pmdp, addr);
                PteFreeKernel(table);
            }
            """));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync();
        Assert.Contains(diagnostics, d => d.Id == DiagnosticIds.MissingClear);
    }

    private sealed class FreshLoader : IAnalyzerAssemblyLoader
    {
        private readonly System.Runtime.Loader.AssemblyLoadContext _context = new("ptguard-fresh", isCollectible: true);

        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => _context.LoadFromAssemblyPath(fullPath);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    public async Task Combined_analyzer_reports_what_the_rules_report_one_by_one(string protocol)
    {
        // The reference implementations, good and known-bad, and the generated bodies: every rule fires somewhere.
        var reference = Path.Combine(ReferenceImplementationTests.RepositoryRoot(), "src", "Runtime", "Reference");
        var files = Directory.EnumerateFiles(reference, "*.cs").Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f)))
            .Concat(GeneratedBodies.Take(7, 40).Select((s, i) => ($"/gen/G{i}.cs", s.Replace("class Generated", $"class Generated{i}"))))
            .ToList();
        var compilation = AnalyzerRunner.Compile(files);
        static string Key(Diagnostic d) => $"{d.Id} {d.Location.SourceTree?.FilePath}{d.Location.GetLineSpan().StartLinePosition} {d.GetMessage()}";
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new ProtocolOptionsProvider(protocol));
        var separate = await compilation.WithAnalyzers(PtGuardTestReferences.AllAnalyzers, options).GetAnalyzerDiagnosticsAsync();
        var combined = await compilation.WithAnalyzers(ImmutableArray.Create(PtGuardAnalyzers.Combined), options).GetAnalyzerDiagnosticsAsync();
        Assert.True(separate.Length > 10, "the corpus must exercise the rules");
        Assert.Equal(separate.Select(Key).Order(StringComparer.Ordinal), combined.Select(Key).Order(StringComparer.Ordinal));
    }
}
