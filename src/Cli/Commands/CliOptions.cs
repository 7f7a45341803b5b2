using System.CommandLine;
using PtGuard.Runtime.Memory;

namespace PtGuard.Cli.Commands;

/// <summary>Options several commands share, spelled once.</summary>
internal static class CliOptions
{
    /// <summary><c>--model arm64|sc</c>, default arm64.</summary>
    public static Option<string> Model() => Choice("--model", "Memory model: arm64 (ARMv8-A, aarch64.cat) or sc (sequential consistency).", "arm64", "arm64", "sc");

    /// <summary>An option restricted to <paramref name="choices"/> with a default.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices)
    {
        var o = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        o.AcceptOnlyFromAmong(choices);
        return o;
    }

    /// <summary>"arm64" → Arm64, "sc" → Sc.</summary>
    public static MemoryModel ParseModel(string text) => text == "sc" ? MemoryModel.Sc : MemoryModel.Arm64;

    /// <summary>The model as the CLI spells it.</summary>
    public static string Name(MemoryModel model) => model == MemoryModel.Sc ? "sc" : "arm64";
}
