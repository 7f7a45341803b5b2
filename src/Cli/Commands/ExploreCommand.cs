using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PtGuard.Runtime;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Cli.Commands;

/// <summary>
/// <c>ptguard explore SCENARIO [--model arm64|sc] [--strategy exhaustive|random] [--seed N] [--format text|json]</c>
/// plus <c>--list</c>, <c>--max-executions N</c>, <c>--timeout SECONDS</c>, <c>--replay WITNESS.json</c>,
/// <c>--witness-out FILE</c> and <c>--dot FILE</c>. Exit 0 safe, 1 violation, 2 error, 3 inconclusive.
/// <para>
/// "safe" is only ever said of a complete exhaustive exploration. A bound (<c>--max-executions</c>,
/// <c>--timeout</c>, a spin loop cut off), a random sample or a single replayed execution that finds nothing is
/// "inconclusive": none of them covers every execution. In JSON, <c>violation.address</c> is the emulated address
/// as an unsigned 64-bit JSON number (exact; readers limited to doubles lose the low bits above 2^53), or null
/// when the violation has no address.
/// </para>
/// </summary>
internal sealed class ExploreCommand : ICliCommand
{
    public string Name => "explore";

    public Command Build(CliContext context)
    {
        var scenario = new Argument<string?>("SCENARIO") { Description = "A built-in scenario (see --list).", Arity = ArgumentArity.ZeroOrOne };
        var model = CliOptions.Model();
        var strategy = CliOptions.Choice("--strategy", "exhaustive (every execution, each once) or random (a seeded sample).", "exhaustive", "exhaustive", "random");
        var seed = new Option<int>("--seed") { Description = "Seed of the random strategy.", DefaultValueFactory = _ => 1 };
        var format = CliOptions.Choice("--format", "Output: text (verdict, counts, witness) or json (one object).", "text", "text", "json");
        var list = new Option<bool>("--list") { Description = "List the built-in scenarios and their expected verdicts." };
        var maxExecutions = new Option<long?>("--max-executions") { Description = "Stop after N executions (verdict inconclusive unless a violation was found)." };
        var timeout = new Option<double?>("--timeout") { Description = "Stop after SECONDS (verdict inconclusive unless a violation was found)." };
        var replay = new Option<string?>("--replay") { Description = "Replay the execution recorded in WITNESS.json (from --witness-out)." };
        var witnessOut = new Option<string?>("--witness-out") { Description = "Save the violation's witness as JSON to FILE." };
        var dot = new Option<string?>("--dot") { Description = "Save the violation's witness as Graphviz DOT to FILE." };
        var command = new Command(Name, "Explore a built-in kernel scenario over every execution the memory model allows.");
        command.Arguments.Add(scenario);
        foreach (var o in new Option[] { model, strategy, seed, format, list, maxExecutions, timeout, replay, witnessOut, dot }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            if (parse.GetValue(list)) return List(context);
            var name = parse.GetValue(scenario) ?? throw new UsageException("ptguard explore: missing SCENARIO (see ptguard explore --list)");
            var request = new Request(name, CliOptions.ParseModel(parse.GetValue(model)!), parse.GetValue(strategy)!, parse.GetValue(seed),
                parse.GetValue(format) == "json", parse.GetValue(maxExecutions), parse.GetValue(timeout), parse.GetValue(replay),
                parse.GetValue(witnessOut), parse.GetValue(dot));
            return Run(context, request);
        });
        return command;
    }

    private sealed record Request(string Scenario, MemoryModel Model, string Strategy, int Seed, bool Json, long? MaxExecutions,
        double? TimeoutSeconds, string? Replay, string? WitnessOut, string? Dot);

    private static int List(CliContext io)
    {
        var width = BuiltInScenarios.All.Max(s => s.Name.Length);
        foreach (var s in BuiltInScenarios.All)
        {
            io.Out.WriteLine($"{s.Name.PadRight(width)}  arm64: {s.Expected(MemoryModel.Arm64),-12} sc: {s.Expected(MemoryModel.Sc),-12} {s.Description}");
        }
        return ExitCodes.Ok;
    }

    private static int Run(CliContext io, Request r)
    {
        var scenario = BuiltInScenarios.Find(r.Scenario)
            ?? throw new UsageException($"ptguard explore: unknown scenario '{r.Scenario}' (known: {string.Join(", ", BuiltInScenarios.All.Select(s => s.Name))})");
        if (r.MaxExecutions is <= 0) throw new UsageException("ptguard explore: --max-executions must be a positive number");
        if (r.TimeoutSeconds is <= 0 or double.NaN) throw new UsageException("ptguard explore: --timeout must be a positive number of seconds");
        var witness = r.Replay is null ? null : ReadWitness(r.Replay);
        if (witness is not null && witness.Program != scenario.Name)
        {
            throw new UsageException($"ptguard explore: the witness '{r.Replay}' records scenario '{witness.Program}', not '{scenario.Name}'");
        }
        if (witness is not null && witness.Model != CliOptions.Name(r.Model))
        {
            throw new UsageException($"ptguard explore: the witness '{r.Replay}' was recorded on {witness.Model}; replay it with --model {witness.Model}");
        }
        var options = new ExploreOptions
        {
            Model = r.Model,
            Strategy = r.Replay is not null ? Strategy.Replay : r.Strategy == "random" ? Strategy.Random : Strategy.Exhaustive,
            Seed = r.Seed,
            MaxExecutions = r.MaxExecutions,
            Timeout = r.TimeoutSeconds is { } s ? TimeSpan.FromSeconds(s) : null,
            ReplayWitness = witness,
        };

        var result = Explorer.Explore(scenario.Build(), options);
        var verdict = Verdict(result, options.Strategy);
        if (result.Witness is not null)
        {
            if (r.WitnessOut is not null) Save(r.WitnessOut, WitnessJson.Serialize(result.Witness));
            if (r.Dot is not null) Save(r.Dot, WitnessDot.Render(result.Witness));
        }
        else if (r.WitnessOut is not null || r.Dot is not null)
        {
            io.Err.WriteLine("ptguard explore: no violation, so no witness was saved");
        }

        var strategyName = options.Strategy.ToString().ToLowerInvariant();
        if (r.Json) io.Out.WriteLine(Json(scenario.Name, r.Model, strategyName, verdict, result));
        else Text(io.Out, scenario, r.Model, strategyName, verdict, result);
        return verdict switch
        {
            "violation" => ExitCodes.Violation,
            "safe" => ExitCodes.Ok,
            _ => ExitCodes.Inconclusive,
        };
    }

    /// <summary>Only a complete exhaustive exploration is "safe"; anything bounded or sampled that found nothing is "inconclusive".</summary>
    private static string Verdict(ExploreResult result, Strategy strategy) => result.Verdict switch
    {
        Runtime.Memory.Verdict.Violation => "violation",
        Runtime.Memory.Verdict.Safe when strategy == Strategy.Exhaustive && result.StoppedBy is null => "safe",
        _ => "inconclusive",
    };

    private static Witness ReadWitness(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"ptguard explore: cannot read the witness '{path}' ({ex.Message})");
        }
        return WitnessJson.Deserialize(json);
    }

    private static void Save(string path, string content)
    {
        try
        {
            File.WriteAllText(path, content);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"ptguard explore: cannot write '{path}' ({ex.Message})");
        }
    }

    private static string Json(string scenario, MemoryModel model, string strategy, string verdict, ExploreResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("scenario", scenario);
            w.WriteString("model", CliOptions.Name(model));
            w.WriteString("strategy", strategy);
            w.WriteString("verdict", verdict);
            if (result.Violation is { } v && verdict == "violation")
            {
                w.WriteStartObject("violation");
                w.WriteString("kind", v.Kind);
                w.WriteNumber("cpu", v.Cpu);
                if (v.Address is { } a) w.WriteNumber("address", a);
                else w.WriteNull("address");
                w.WriteString("message", v.Message);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("violation");
            }
            w.WriteNumber("executions", result.Executions);
            w.WriteNumber("distinct", result.Distinct);
            w.WriteNumber("elapsedMs", (long)Math.Round(result.Elapsed.TotalMilliseconds));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Text(TextWriter o, Scenario scenario, MemoryModel model, string strategy, string verdict, ExploreResult result)
    {
        o.WriteLine($"{scenario.Name} on {CliOptions.Name(model)} ({strategy}): {verdict}");
        o.WriteLine($"  {scenario.Description}");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  executions {result.Executions}, distinct {result.Distinct}, blocked {result.Blocked}, events {result.Events}, {result.Elapsed.TotalSeconds:0.000} s"));
        if (verdict == "inconclusive")
        {
            o.WriteLine(result.StoppedBy is not null
                ? $"  stopped by {result.StoppedBy} before every execution was explored; no violation in those explored"
                : $"  a {strategy} run covers some executions only; no violation in those explored (use --strategy exhaustive to prove safety)");
        }
        if (result.Violation is { } v && verdict == "violation")
        {
            var where = v.Address is { } a ? string.Create(CultureInfo.InvariantCulture, $" at 0x{a:x}") : "";
            o.WriteLine($"  violation: {v.Kind} on CPU {v.Cpu}{where}: {v.Message}");
            if (result.Witness is not null)
            {
                o.WriteLine();
                o.Write(WitnessText.Render(result.Witness));
            }
        }
    }
}
