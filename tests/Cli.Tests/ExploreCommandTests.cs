using System.Text.Json;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Cli.Tests;

public class ExploreCommandTests
{
    /// <summary>Issue 3's scenario table, typed in as the spec: arm64 and sc verdicts.</summary>
    public static TheoryData<string, string, string> Table() => new()
    {
        { "v6", "safe", "safe" },
        { "v6-two-walkers", "safe", "safe" },
        { "prepatch", "UseAfterFree", "UseAfterFree" },
        { "cycle-before-flush", "UseAfterFree", "safe" },
        { "v5-enable-disable", "UseAfterFree", "UseAfterFree" },
        { "held-across", "safe", "safe" },
        { "held-across-plus-cycle", "Deadlock", "Deadlock" },
        { "hw-leaf-only-flush", "UseAfterFree", "UseAfterFree" },
        { "hw-v6", "safe", "safe" },
    };

    private static JsonElement Json(string output)
    {
        Assert.EndsWith("\n", output);
        Assert.Single(output.TrimEnd('\n').Split('\n')); // exactly one object, one line
        return JsonDocument.Parse(output).RootElement;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Scenario_table_through_explore_json(string scenario, string arm64, string sc)
    {
        foreach (var (model, expected) in new[] { ("arm64", arm64), ("sc", sc) })
        {
            // The issue's table and the scenario's own declaration agree.
            Assert.Equal(expected, BuiltInScenarios.Find(scenario)!.Expected(model == "sc" ? MemoryModel.Sc : MemoryModel.Arm64));

            var (exit, output, _) = CliRunner.Run("explore", scenario, "--model", model, "--format", "json");
            var json = Json(output);
            Assert.Equal(new[] { "scenario", "model", "strategy", "verdict", "violation", "executions", "distinct", "elapsedMs" },
                json.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(scenario, json.GetProperty("scenario").GetString());
            Assert.Equal(model, json.GetProperty("model").GetString());
            Assert.Equal("exhaustive", json.GetProperty("strategy").GetString());
            Assert.True(json.GetProperty("executions").GetInt64() > 0);
            Assert.Equal(json.GetProperty("executions").GetInt64(), json.GetProperty("distinct").GetInt64());
            Assert.True(json.GetProperty("elapsedMs").GetInt64() >= 0);
            if (expected == "safe")
            {
                Assert.Equal(0, exit);
                Assert.Equal("safe", json.GetProperty("verdict").GetString());
                Assert.Equal(JsonValueKind.Null, json.GetProperty("violation").ValueKind);
            }
            else
            {
                Assert.Equal(1, exit);
                Assert.Equal("violation", json.GetProperty("verdict").GetString());
                var v = json.GetProperty("violation");
                Assert.Equal(new[] { "kind", "cpu", "address", "message" }, v.EnumerateObject().Select(p => p.Name).ToArray());
                Assert.Equal(expected, v.GetProperty("kind").GetString());
                Assert.True(v.GetProperty("cpu").GetInt32() >= 0);
                Assert.True(v.GetProperty("address").ValueKind is JsonValueKind.Number or JsonValueKind.Null);
                Assert.False(string.IsNullOrEmpty(v.GetProperty("message").GetString()));
            }
        }
    }

    [Fact]
    public void A_bound_that_stops_the_search_is_inconclusive_exit_3_never_safe()
    {
        var (exit, output, _) = CliRunner.Run("explore", "v6", "--max-executions", "1", "--format", "json");
        Assert.Equal(3, exit);
        var json = Json(output);
        Assert.Equal("inconclusive", json.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("violation").ValueKind);
        Assert.Equal(1, json.GetProperty("executions").GetInt64());
    }

    [Fact]
    public void A_timeout_that_stops_the_search_is_inconclusive()
    {
        var (exit, output, _) = CliRunner.Run("explore", "v6-two-walkers", "--timeout", "0.000001");
        Assert.Equal(3, exit);
        Assert.StartsWith("v6-two-walkers on arm64 (exhaustive): inconclusive\n", output);
        Assert.Contains("stopped by --timeout", output);
    }

    [Fact]
    public void A_violation_found_within_a_bound_is_still_a_violation()
    {
        var (exit, output, _) = CliRunner.Run("explore", "prepatch", "--max-executions", "100", "--format", "json");
        Assert.Equal(1, exit);
        Assert.Equal("violation", Json(output).GetProperty("verdict").GetString());
    }

    [Fact]
    public void Random_strategy_finding_nothing_is_inconclusive_and_finds_a_violation_when_there_is_one()
    {
        var (exit, output, _) = CliRunner.Run("explore", "v6", "--strategy", "random", "--seed", "3", "--format", "json");
        Assert.Equal(3, exit);
        var json = Json(output);
        Assert.Equal("random", json.GetProperty("strategy").GetString());
        Assert.Equal("inconclusive", json.GetProperty("verdict").GetString());

        var (exit2, output2, _) = CliRunner.Run("explore", "prepatch", "--strategy", "random", "--seed", "3", "--format", "json");
        Assert.Equal(1, exit2);
        Assert.Equal("UseAfterFree", Json(output2).GetProperty("violation").GetProperty("kind").GetString());
    }

    [Fact]
    public void Same_seed_gives_the_same_random_result()
    {
        var a = Json(CliRunner.Run("explore", "v5-enable-disable", "--strategy", "random", "--seed", "11", "--format", "json").Out);
        var b = Json(CliRunner.Run("explore", "v5-enable-disable", "--strategy", "random", "--seed", "11", "--format", "json").Out);
        Assert.Equal(a.GetProperty("verdict").GetString(), b.GetProperty("verdict").GetString());
        Assert.Equal(a.GetProperty("executions").GetInt64(), b.GetProperty("executions").GetInt64());
        Assert.Equal(a.GetProperty("violation").ToString(), b.GetProperty("violation").ToString());
    }

    [Fact]
    public void Witness_out_and_dot_are_written_and_the_witness_replays_to_the_same_violation()
    {
        var dir = Directory.CreateTempSubdirectory("ptguard-explore-");
        try
        {
            var witness = Path.Combine(dir.FullName, "w.json");
            var dot = Path.Combine(dir.FullName, "w.dot");
            var (exit, output, _) = CliRunner.Run("explore", "cycle-before-flush", "--witness-out", witness, "--dot", dot);
            Assert.Equal(1, exit);
            Assert.StartsWith("cycle-before-flush on arm64 (exhaustive): violation\n", output);
            Assert.Contains("violation: UseAfterFree", output);
            Assert.Contains("Witness: cycle-before-flush on arm64: UseAfterFree", output);
            Assert.Equal("UseAfterFree", WitnessJson.Deserialize(File.ReadAllText(witness)).Violation!.Kind);
            Assert.StartsWith("digraph witness {", File.ReadAllText(dot));

            var (rexit, routput, _) = CliRunner.Run("explore", "cycle-before-flush", "--replay", witness, "--format", "json");
            Assert.Equal(1, rexit);
            var json = Json(routput);
            Assert.Equal("replay", json.GetProperty("strategy").GetString());
            Assert.Equal("UseAfterFree", json.GetProperty("violation").GetProperty("kind").GetString());

            // A witness replays only on its own scenario and model.
            var (other, _, otherErr) = CliRunner.Run("explore", "v6", "--replay", witness);
            Assert.Equal(2, other);
            Assert.Contains("records scenario 'cycle-before-flush', not 'v6'", otherErr);
            var (model, _, modelErr) = CliRunner.Run("explore", "cycle-before-flush", "--model", "sc", "--replay", witness);
            Assert.Equal(2, model);
            Assert.Contains("recorded on arm64", modelErr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Replay_of_a_missing_or_malformed_witness_is_exit_2()
    {
        Assert.Equal(2, CliRunner.Run("explore", "v6", "--replay", "/no/such/witness.json").Exit);
        var file = Path.Combine(Path.GetTempPath(), $"ptguard-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "{ not json");
        try
        {
            var (exit, _, err) = CliRunner.Run("explore", "v6", "--replay", file);
            Assert.Equal(2, exit);
            Assert.Single(err.TrimEnd('\n').Split('\n'));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void List_names_every_built_in_scenario()
    {
        var (exit, output, _) = CliRunner.Run("explore", "--list");
        Assert.Equal(0, exit);
        var names = output.TrimEnd('\n').Split('\n').Select(l => l.Split(' ')[0]).ToArray();
        Assert.Equal(BuiltInScenarios.All.Select(s => s.Name).ToArray(), names);
        Assert.Equal(Table().Select(r => (string)r[0]).Order().ToArray(), names.Order().ToArray());
    }

    [Fact]
    public void Safe_text_output_names_verdict_and_counts()
    {
        var (exit, output, err) = CliRunner.Run("explore", "v6", "--model", "sc");
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        Assert.StartsWith("v6 on sc (exhaustive): safe\n", output);
        Assert.Matches(@"executions \d+, distinct \d+", output);
    }
}
