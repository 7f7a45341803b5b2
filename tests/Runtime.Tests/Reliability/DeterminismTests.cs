using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Runtime.Tests.Reliability;

/// <summary>
/// The same seed gives the same executions and the same witness, in this process and in other processes; a witness
/// written by one process replays to the same violation in another.
/// </summary>
public class DeterminismTests
{
    private static ExploreResult Explore(string scenario, MemoryModel model, Strategy strategy, int seed, Action<Execution>? each = null) =>
        Explorer.Explore(BuiltInScenarios.Find(scenario)!.Build(), new ExploreOptions { Model = model, Strategy = strategy, Seed = seed, RandomExecutions = 40 }, each);

    private static List<string> RandomExecutions(int seed)
    {
        var seen = new List<string>();
        Explore("v6-two-walkers", MemoryModel.Arm64, Strategy.Random, seed, ex => seen.Add(WitnessJson.Serialize(ex.ToWitness())));
        return seen;
    }

    [Fact]
    public void Same_seed_gives_the_same_random_executions_in_order()
    {
        var first = RandomExecutions(5);
        var second = RandomExecutions(5);
        var other = RandomExecutions(6);

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
        // The seed matters: another one walks elsewhere.
        Assert.NotEqual(first, other);
    }

    [Theory]
    [InlineData("prepatch", "arm64", "random", 7)]
    [InlineData("cycle-before-flush", "arm64", "random", 42)]
    [InlineData("held-across-plus-cycle", "arm64", "exhaustive", 0)]
    [InlineData("held-across-plus-cycle", "sc", "random", 3)]
    public void Same_seed_gives_the_same_witness_across_processes(string scenario, string model, string strategy, int seed)
    {
        var a = WitnessToolProcess.Run("explore", scenario, model, strategy, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var b = WitnessToolProcess.Run("explore", scenario, model, strategy, seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var here = Explore(scenario, model == "sc" ? MemoryModel.Sc : MemoryModel.Arm64, strategy == "random" ? Strategy.Random : Strategy.Exhaustive, seed);

        Assert.Equal(a, b);
        Assert.NotNull(here.Witness);
        // The first block of the tool's output is the witness JSON; this process found the same one.
        var json = a[..a.LastIndexOf("\nverdict ", StringComparison.Ordinal)].TrimEnd();
        Assert.Equal(WitnessJson.Serialize(here.Witness!), json);
        Assert.Contains($"executions {here.Executions};", a, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prepatch", MemoryModel.Arm64, Strategy.Exhaustive, 0)]
    [InlineData("cycle-before-flush", MemoryModel.Arm64, Strategy.Random, 42)]
    [InlineData("held-across-plus-cycle", MemoryModel.Sc, Strategy.Exhaustive, 0)]
    [InlineData("hw-leaf-only-flush", MemoryModel.Arm64, Strategy.Random, 5)]
    public void A_witness_written_here_replays_to_the_same_violation_in_another_process(string scenario, MemoryModel model, Strategy strategy, int seed)
    {
        var found = Explore(scenario, model, strategy, seed);
        var file = Path.Combine(Path.GetTempPath(), $"ptguard-witness-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, WitnessJson.Serialize(found.Witness!));
            var replayed = WitnessToolProcess.Run("replay", scenario, model == MemoryModel.Sc ? "sc" : "arm64", file).TrimEnd();

            Assert.Equal($"{found.Violation!.Kind}: {found.Violation.Message}", replayed);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
