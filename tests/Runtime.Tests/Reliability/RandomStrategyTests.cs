using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Runtime.Tests.Reliability;

/// <summary>The random strategy, with fixed seeds, finds the kernel history's bugs and invents none.</summary>
public class RandomStrategyTests
{
    [Theory]
    [InlineData("prepatch", MemoryModel.Arm64, 1)]
    [InlineData("prepatch", MemoryModel.Sc, 2)]
    [InlineData("cycle-before-flush", MemoryModel.Arm64, 1)]
    [InlineData("cycle-before-flush", MemoryModel.Arm64, 42)]
    public void Random_strategy_finds_the_use_after_free_with_a_fixed_seed(string scenario, MemoryModel model, int seed)
    {
        var r = Explorer.Explore(BuiltInScenarios.Find(scenario)!.Build(),
            new ExploreOptions { Model = model, Strategy = Strategy.Random, Seed = seed, RandomExecutions = 1000 });

        Assert.Equal(Verdict.Violation, r.Verdict);
        Assert.Equal(KernelViolations.UseAfterFree, r.Violation!.Kind);
        Assert.NotNull(r.Witness);
        Assert.Contains("use-after-free", r.Violation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void Random_strategy_finds_no_violation_where_exhaustive_proves_none(int seed)
    {
        // cycle-before-flush is safe under SC: the freer's store and load are not reordered there.
        var r = Explorer.Explore(BuiltInScenarios.Find("cycle-before-flush")!.Build(),
            new ExploreOptions { Model = MemoryModel.Sc, Strategy = Strategy.Random, Seed = seed, RandomExecutions = 300 });

        // Finding nothing by sampling proves nothing: the verdict is inconclusive, never safe.
        Assert.Equal(Verdict.Inconclusive, r.Verdict);
        Assert.Contains("only an exhaustive run can say safe", r.StoppedBy, StringComparison.Ordinal);
        Assert.True(r.Executions > 0);
    }

    [Fact]
    public void Random_witness_replays_to_the_same_violation()
    {
        var scenario = BuiltInScenarios.Find("cycle-before-flush")!;
        var found = Explorer.Explore(scenario.Build(), new ExploreOptions { Model = MemoryModel.Arm64, Strategy = Strategy.Random, Seed = 42 });
        var witness = WitnessJson.Deserialize(WitnessJson.Serialize(found.Witness!));

        var replay = Explorer.Explore(scenario.Build(), new ExploreOptions { Model = MemoryModel.Arm64, Strategy = Strategy.Replay, ReplayWitness = witness });

        Assert.Equal(Verdict.Violation, replay.Verdict);
        Assert.Equal(found.Violation!.Kind, replay.Violation!.Kind);
        Assert.Equal(found.Violation.Message, replay.Violation.Message);
        Assert.Equal(WitnessJson.Serialize(found.Witness!), WitnessJson.Serialize(replay.Witness!));
    }
}
