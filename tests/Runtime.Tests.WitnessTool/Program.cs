using PtGuard.Runtime;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

// explore SCENARIO arm64|sc exhaustive|random SEED   -> the witness JSON (or "no violation"), then a summary line
// replay SCENARIO arm64|sc WITNESS.json              -> the violation the replay shows
try
{
    if (args.Length == 5 && args[0] == "explore")
    {
        var options = new ExploreOptions
        {
            Model = Model(args[2]),
            Strategy = args[3] == "random" ? Strategy.Random : Strategy.Exhaustive,
            Seed = int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture),
        };
        var r = Explorer.Explore(Scenario(args[1]).Build(), options);
        Console.Out.WriteLine(r.Witness is null ? "no violation" : WitnessJson.Serialize(r.Witness));
        Console.Out.WriteLine($"verdict {r.Verdict}; executions {r.Executions}; distinct {r.Distinct}; blocked {r.Blocked}; events {r.Events}");
        return 0;
    }
    if (args.Length == 4 && args[0] == "replay")
    {
        var witness = WitnessJson.Deserialize(File.ReadAllText(args[3]));
        var r = Explorer.Explore(Scenario(args[1]).Build(), new ExploreOptions { Model = Model(args[2]), Strategy = Strategy.Replay, ReplayWitness = witness });
        Console.Out.WriteLine(r.Violation is null ? $"verdict {r.Verdict}" : $"{r.Violation.Kind}: {r.Violation.Message}");
        return 0;
    }
    Console.Error.WriteLine("usage: explore SCENARIO arm64|sc exhaustive|random SEED | replay SCENARIO arm64|sc WITNESS.json");
    return 2;
}
catch (PtGuardException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

static MemoryModel Model(string name) => name == "sc" ? MemoryModel.Sc : name == "arm64" ? MemoryModel.Arm64 : throw new PtGuardException($"unknown model '{name}'");

static Scenario Scenario(string name) => BuiltInScenarios.Find(name) ?? throw new PtGuardException($"unknown scenario '{name}'");
