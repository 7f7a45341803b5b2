using Microsoft.CodeAnalysis;
using PtGuard.Analyzers.Tests.Verifiers;
using PtGuard.Bench.Mutation;

namespace PtGuard.Analyzers.Tests;

/// <summary>
/// The CI-sized half of the mutation kill-rate experiment (issue 7; the full one is <c>bench/steps/mutation_kill_rate</c>,
/// which also runs the explorer): the bench's generator (<c>bench/PtGuard.Bench/Mutation/MutantGenerator.cs</c>, linked)
/// deletes or moves each step of the reference Protocol A and B classes, and every mutant that compiles and that the
/// explorer convicts on arm64 must be flagged by some rule under its protocol. The explorer's acquittals are pinned
/// here from the bench's table (leaks, a walker that no longer walks, a key left raised, Protocol B's set-huge moves,
/// and B23/B26/B27, whose children's own flushes already drop the walk cache): everything else must be flagged.
/// </summary>
public class MutationKillTests
{
    /// <summary>Mutants the explorer does not convict on arm64 (bench/out/mutants/mutants.tsv, <c>convicted_arm64 = no</c>).</summary>
    private static readonly HashSet<string> NotConvicted = new(StringComparer.Ordinal)
    {
        "A04", "A14", "A15", "A23", "A24", "A26", "A27",
        "B01", "B04", "B08", "B09", "B12", "B16", "B19", "B23", "B24", "B25", "B26", "B27", "B29",
    };

    [Fact]
    public async Task Every_mutant_the_explorer_convicts_is_flagged()
    {
        var reference = Path.Combine(ReferenceImplementationTests.RepositoryRoot(), "src", "Runtime", "Reference");
        var mutants = MutantGenerator.Generate(Path.Combine(reference, "ProtocolA.cs"), "ProtocolA", "a", "A")
            .Concat(MutantGenerator.Generate(Path.Combine(reference, "ProtocolB.cs"), "ProtocolB", "b", "B"))
            .ToList();
        Assert.Equal(58, mutants.Count); // the bench's count: a change to the generator or the reference code shows here

        var checkedCount = 0;
        var missed = new List<string>();
        foreach (var m in mutants.Where(m => !NotConvicted.Contains(m.Id)))
        {
            var compilation = AnalyzerRunner.Compile(new[] { ($"/mutants/{m.Id}.cs", m.Source) });
            if (compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)) continue; // the explorer cannot run it either
            checkedCount++;
            var result = await AnalyzerRunner.RunAsync(compilation, m.Protocol);
            Assert.Empty(result.AnalyzerExceptions);
            if (result.Diagnostics.Length == 0) missed.Add($"{m.Id} ({m.Method}): {m.Mutation}");
        }
        Assert.True(missed.Count == 0, "convicted by the explorer but not flagged:\n" + string.Join("\n", missed));
        Assert.Equal(34, checkedCount);
    }
}
