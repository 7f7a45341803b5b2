using CsCheck;
using Microsoft.CodeAnalysis;
using PtGuard.Analyzers.Tests.Verifiers;

namespace PtGuard.Analyzers.Tests;

/// <summary>
/// The analyzer never throws and never hangs: generated method bodies (loops, try/finally, gotos, lambdas, local
/// functions, recursion, and code cut short or with stray tokens) and this repository's own sources go through every
/// rule with zero analyzer exceptions and zero swallowed internal errors.
/// </summary>
public class RobustnessTests
{
    [Fact]
    public void Generated_bodies_never_make_the_analyzer_throw()
    {
        var protocol = 0;
        GeneratedBodies.Source.Sample(source =>
        {
            using var hang = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var result = AnalyzerRunner.RunAsync(AnalyzerRunner.Compile(source), protocol++ % 2 == 0 ? "a" : "b", hang.Token).GetAwaiter().GetResult();
            Assert.True(result.AnalyzerExceptions.Count == 0, string.Join("\n", result.AnalyzerExceptions) + "\n" + source);
            Assert.True(result.InternalErrors.Count == 0, string.Join("\n", result.InternalErrors) + "\n" + source);
        }, seed: "0N0XIzNsQ0O2", iter: 150, threads: 1);
    }

    [Theory]
    [InlineData("Runtime", false)]
    [InlineData("Analyzers", true)]
    [InlineData("Cli", true)]
    [InlineData("CodeFixes", true)]
    public async Task Repository_sources_never_make_the_analyzer_throw(string project, bool referenceRuntime)
    {
        var folder = Path.Combine(ReferenceImplementationTests.RepositoryRoot(), "src", project);
        var files = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
                .Select(f => (f, File.ReadAllText(f)))
                .ToList()
            : new List<(string, string)>();
        // The projects compile with implicit usings; give the compilation the same global usings.
        files.Add(("/implicit/GlobalUsings.cs", "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;"));
        var compilation = AnalyzerRunner.Compile(files, referenceRuntime, "PtGuard." + project); // the project's own assembly name
        foreach (var protocol in new[] { "a", "b" })
        {
            var result = await AnalyzerRunner.RunAsync(compilation, protocol);
            Assert.Empty(result.AnalyzerExceptions);
            Assert.Empty(result.InternalErrors);
            if (project == "Runtime" && protocol == "a")
            {
                // The runtime defines the annotations itself: the rules must see them there and convict KnownBad.
                Assert.Contains(result.Diagnostics, d => d.Id == DiagnosticIds.StepsOutOfOrder && d.Location.SourceTree!.FilePath.EndsWith("KnownBad.cs", StringComparison.Ordinal));
            }
        }
    }
}
