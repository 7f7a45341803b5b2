using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Scenarios;

/// <summary>A built-in scenario of <c>ptguard explore</c>: a kernel model and one thread per CPU.</summary>
public sealed record Scenario
{
    /// <summary>Name on the command line ("v6").</summary>
    public required string Name { get; init; }

    /// <summary>One line: what runs against what.</summary>
    public required string Description { get; init; }

    /// <summary>What the explorer should conclude on ARMv8: null for safe, else the violation kind.</summary>
    public string? ExpectedArm64 { get; init; }

    /// <summary>What the explorer should conclude under SC: null for safe, else the violation kind.</summary>
    public string? ExpectedSc { get; init; }

    /// <summary>Builds a fresh program (a new machine) for one exploration.</summary>
    public required Func<ConcurrentProgram> Build { get; init; }

    /// <summary>The expected verdict under <paramref name="model"/>, as "safe" or a violation kind.</summary>
    public string Expected(MemoryModel model) => (model == MemoryModel.Arm64 ? ExpectedArm64 : ExpectedSc) ?? "safe";
}
