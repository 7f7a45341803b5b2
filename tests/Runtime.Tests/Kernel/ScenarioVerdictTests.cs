using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Runtime.Tests.Kernel;

/// <summary>The scenario table of the kernel-model issue: each verdict, exhaustively, on both models.</summary>
public class ScenarioVerdictTests
{
    [Theory]
    [InlineData("v6", "safe", "safe")]
    [InlineData("v6-two-walkers", "safe", "safe")]
    [InlineData("prepatch", "UseAfterFree", "UseAfterFree")]
    [InlineData("cycle-before-flush", "UseAfterFree", "safe")]
    [InlineData("v5-enable-disable", "UseAfterFree", "UseAfterFree")]
    [InlineData("held-across", "safe", "safe")]
    [InlineData("held-across-plus-cycle", "Deadlock", "Deadlock")]
    [InlineData("hw-leaf-only-flush", "UseAfterFree", "UseAfterFree")]
    [InlineData("hw-v6", "safe", "safe")]
    public void Scenario_gives_the_documented_verdict(string name, string arm64, string sc)
    {
        var scenario = BuiltInScenarios.Find(name)!;
        foreach (var (model, expected) in new[] { (MemoryModel.Arm64, arm64), (MemoryModel.Sc, sc) })
        {
            var r = Explorer.Explore(scenario.Build(), new ExploreOptions { Model = model });
            var got = r.Verdict == Verdict.Safe ? "safe" : r.Violation?.Kind ?? r.Verdict.ToString();
            Assert.True(expected == got, $"{name} on {model}: expected {expected}, got {got} ({r.Violation?.Message})");
            Assert.Equal(expected, scenario.Expected(model));
            Assert.Equal(r.Executions, r.Distinct);
        }
    }

    [Fact]
    public void Cycle_before_flush_witness_shows_the_key_read_off_while_the_clear_is_not_visible()
    {
        var r = Explorer.Explore(BuiltInScenarios.Find("cycle-before-flush")!.Build(), new ExploreOptions { Model = MemoryModel.Arm64 });
        var w = r.Witness!;
        var key = w.EventsOf(0).Single(e => e.Label == "static_branch_unlikely(arm64_ptdump_lock_key)");
        Assert.Equal(0UL, key.Value);
        var clear = w.EventsOf(0).Single(e => e.Label?.StartsWith("pmd_clear", StringComparison.Ordinal) == true);
        var walkerPmd = w.EventsOf(1).Single(e => e.Kind == EventKind.Read && e.Label?.Contains("pmd[0]", StringComparison.Ordinal) == true);
        // The walker read the entry's old value: the clear (earlier in the freer's program order) was not visible to it.
        Assert.Equal("init", walkerPmd.ReadsFrom);
        Assert.NotEqual(0UL, walkerPmd.Value);
        Assert.True(clear.Index < key.Index);
        // And the walker's increment was not visible to the freer's key load: store buffering.
        Assert.Equal("init", key.ReadsFrom);
        Assert.Contains("UseAfterFree", WitnessText.Render(w), StringComparison.Ordinal);
    }

    [Fact]
    public void Witness_replays_to_the_same_violation()
    {
        foreach (var name in new[] { "prepatch", "cycle-before-flush", "held-across-plus-cycle", "hw-leaf-only-flush" })
        {
            var scenario = BuiltInScenarios.Find(name)!;
            var r = Explorer.Explore(scenario.Build(), new ExploreOptions { Model = MemoryModel.Arm64 });
            var json = WitnessJson.Serialize(r.Witness!);
            var replay = Explorer.Explore(scenario.Build(), new ExploreOptions { Model = MemoryModel.Arm64, Strategy = Strategy.Replay, ReplayWitness = WitnessJson.Deserialize(json) });
            Assert.Equal(r.Violation!.Kind, replay.Violation?.Kind);
            Assert.Equal(r.Violation.Message, replay.Violation!.Message);
        }
    }
}
