using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Tests.Verifiers;

namespace PtGuard.Analyzers.Tests;

/// <summary>What every rule owes: a stable ID, its help page, its release-file line, and silence where it has no business.</summary>
public class MetaTests
{
    public static TheoryData<string> Ids() => new(typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!));

    private static IEnumerable<DiagnosticDescriptor> Descriptors => PtGuardTestReferences.AllAnalyzers.SelectMany(a => a.SupportedDiagnostics);

    [Fact]
    public void Each_rule_is_one_analyzer_named_ID_first()
    {
        Assert.Equal(14, PtGuardTestReferences.AllAnalyzers.Length);
        Assert.Equal(PtGuardTestReferences.AllAnalyzers.Select(a => a.GetType()), PtGuardAnalyzers.All.Select(a => a.GetType()));
        foreach (var analyzer in PtGuardTestReferences.AllAnalyzers)
        {
            var descriptor = Assert.Single(analyzer.SupportedDiagnostics);
            Assert.StartsWith(descriptor.Id, analyzer.GetType().Name, StringComparison.Ordinal);
            Assert.True(analyzer.GetType().IsSealed, analyzer.GetType().Name + " is not sealed");
        }
        Assert.Equal(typeof(DiagnosticIds).GetFields().Select(f => (string)f.GetValue(null)!).Order(), Descriptors.Select(d => d.Id).Order());
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_comes_from_the_id_and_the_page_exists(string id)
    {
        var descriptor = Descriptors.Single(d => d.Id == id);
        Assert.Equal($"https://github.com/ptguard/ptguard/blob/main/docs/rules/{id}.md", descriptor.HelpLinkUri);
        var page = Path.Combine(ReferenceImplementationTests.RepositoryRoot(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), page + " is missing");
        var text = File.ReadAllText(page);
        foreach (var section in new[] { "## Cause", "## Rule description", "## How to fix", "## When to suppress", "## Known limitations" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }
        Assert.Contains($"| {descriptor.Category} |", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Release_file_lists_the_rule_with_its_category_and_severity(string id)
    {
        var descriptor = Descriptors.Single(d => d.Id == id);
        var release = File.ReadAllLines(Path.Combine(ReferenceImplementationTests.RepositoryRoot(), "src", "Analyzers", "AnalyzerReleases.Unshipped.md"));
        var line = Assert.Single(release, l => l.StartsWith(id + " ", StringComparison.Ordinal));
        var cells = line.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(descriptor.Category, cells[1]);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), cells[2]);
    }

    [Fact]
    public async Task Every_rule_is_silent_on_empty_source()
    {
        var result = await AnalyzerRunner.RunAsync(AnalyzerRunner.Compile(""));
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.AnalyzerExceptions);
    }

    [Fact]
    public async Task Nothing_is_registered_when_the_runtime_is_not_referenced()
    {
        const string source = "public static class C { public static void M() { System.Console.WriteLine(); } }";
        var without = await ActionCountsAsync(AnalyzerRunner.Compile(source, referenceRuntime: false));
        var with = await ActionCountsAsync(AnalyzerRunner.Compile(source, referenceRuntime: true));
        Assert.All(without, c => Assert.Equal(0, c));
        Assert.All(with, c => Assert.Equal(1, c));
    }

    [Fact]
    public async Task The_runtime_is_recognised_however_it_is_referenced()
    {
        // The analyzer decides from the references' file names without binding them; an in-memory image (no file name)
        // falls back to binding, and a project reference in an IDE is a compilation reference.
        const string freeWithoutClear = """
            using PtGuard.Runtime;
            using static PtGuard.Runtime.Kernel;
            public static class C { public static void M(PmdPtr pmdp, ulong addr) { PteFreeKernel(PteOffsetKernel(pmdp, addr)); } }
            """;
        var path = typeof(PtGuard.Runtime.Kernel).Assembly.Location;
        var image = MetadataReference.CreateFromImage(File.ReadAllBytes(path));
        var runtimeSources = Directory.EnumerateFiles(Path.Combine(ReferenceImplementationTests.RepositoryRoot(), "src", "Runtime"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (f, File.ReadAllText(f)))
            .Append(("/implicit/GlobalUsings.cs", "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;"));
        var runtimeCompilation = AnalyzerRunner.Compile(runtimeSources, referenceRuntime: false, "PtGuard.Runtime");
        foreach (var reference in new MetadataReference[] { PtGuardTestReferences.Runtime, image, runtimeCompilation.ToMetadataReference() })
        {
            var compilation = AnalyzerRunner.Compile(freeWithoutClear, referenceRuntime: false).AddReferences(reference);
            var result = await AnalyzerRunner.RunAsync(compilation);
            Assert.Contains(result.Diagnostics, d => d.Id == DiagnosticIds.MissingClear);
        }
    }

    [Fact]
    public async Task Protocol_comes_from_the_msbuild_property_when_editorconfig_is_silent()
    {
        const string source = """
            using PtGuard.Runtime;
            using static PtGuard.Runtime.Kernel;
            public static class C
            {
                public static void Free(PmdPtr pmdp, ulong addr)
                {
                    var table = PteOffsetKernel(pmdp, addr);
                    PmdClear(pmdp);
                    FlushTlbKernelPgtable(addr);
                    PteFreeKernel(table);
                }
            }
            """;
        var compilation = AnalyzerRunner.Compile(source);
        async Task<string[]> IdsUnder(Dictionary<string, string> global)
        {
            var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new GlobalOnlyOptions(global));
            var cwa = compilation.WithAnalyzers(PtGuardTestReferences.AllAnalyzers, options);
            return (await cwa.GetAnalyzerDiagnosticsAsync()).Select(d => d.Id).ToArray();
        }
        Assert.Equal(new[] { DiagnosticIds.MissingLockCycle }, await IdsUnder(new()));
        Assert.Equal(new[] { DiagnosticIds.FreeNotUnderReadLock }, await IdsUnder(new() { ["build_property.PtGuardProtocol"] = "B" }));
        Assert.Equal(new[] { DiagnosticIds.MissingLockCycle }, await IdsUnder(new() { ["build_property.PtGuardProtocol"] = "b", ["ptguard_protocol"] = "a" }));
    }

    /// <summary>Non-compilation-start actions each analyzer registered, as the driver counted them.</summary>
    private static async Task<int[]> ActionCountsAsync(Compilation compilation)
    {
        var cwa = compilation.WithAnalyzers(PtGuardTestReferences.AllAnalyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: true));
        await cwa.GetAnalyzerDiagnosticsAsync();
        var counts = new List<int>();
        foreach (var analyzer in PtGuardTestReferences.AllAnalyzers)
        {
            var t = await cwa.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None);
            counts.Add(t.CompilationActionsCount + t.CompilationEndActionsCount + t.SemanticModelActionsCount + t.SymbolActionsCount
                + t.SyntaxNodeActionsCount + t.SyntaxTreeActionsCount + t.OperationActionsCount + t.OperationBlockActionsCount
                + t.OperationBlockStartActionsCount + t.OperationBlockEndActionsCount + t.CodeBlockActionsCount + t.CodeBlockStartActionsCount
                + t.CodeBlockEndActionsCount + t.SymbolStartActionsCount + t.SymbolEndActionsCount + t.AdditionalFileActionsCount);
        }
        return counts.ToArray();
    }

    private sealed class GlobalOnlyOptions(Dictionary<string, string> values) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(values);
        private readonly Options _empty = new(new());

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => values.ContainsKey("ptguard_protocol") ? _global : _empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
