using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Memory;

/// <summary>
/// The explorer against brute force: for random straight-line programs, the executions it visits are exactly
/// the graphs a naive enumeration of every reads-from and coherence order finds consistent, each visited once.
/// </summary>
public class ExplorerCompletenessTests
{
    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (var s = 1; s <= 150; s++) data.Add(s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Explorer_visits_exactly_the_consistent_executions_once_sc(int seed) => Compare(seed, MemoryModel.Sc, lb: false);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Explorer_visits_exactly_the_consistent_executions_once_arm64(int seed) => Compare(seed, MemoryModel.Arm64, lb: true);

    private static void Compare(int seed, MemoryModel model, bool lb)
    {
        var (program, text) = RandomPrograms.Generate(seed);
        var expected = NaiveEnumerator.Executions(program, model);
        var seen = new List<string>();
        var result = Explorer.Explore(program, new ExploreOptions { Model = model, LoadBuffering = lb, ContinueAfterViolation = true },
            ex => seen.Add(NaiveEnumerator.Key(ex.ToWitness())));
        var missing = expected.Except(seen).ToList();
        var extra = seen.Except(expected).ToList();
        var duplicates = seen.Count - seen.Distinct().Count();
        Assert.True(missing.Count == 0 && extra.Count == 0 && duplicates == 0,
            $"{text}\nmissing {missing.Count}: {string.Join("\n  ", missing.Take(5))}\nextra {extra.Count}: {string.Join("\n  ", extra.Take(5))}\nduplicates {duplicates}");
        Assert.Equal(result.Executions, result.Distinct);
    }
}
