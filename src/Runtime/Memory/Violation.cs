namespace PtGuard.Runtime.Memory;

/// <summary>Names of the violations the explorer reports. The kernel layer adds its own kinds as plain strings.</summary>
public static class ViolationKinds
{
    /// <summary>A thread's <see cref="Cpu.Assert"/> failed.</summary>
    public const string AssertionFailed = "AssertionFailed";

    /// <summary>Every thread that has not finished waits for something no thread will do.</summary>
    public const string Deadlock = "Deadlock";

    /// <summary>A thread did something different when replayed with the same values: the scenario depends on state outside the model.</summary>
    public const string Nondeterminism = "Nondeterminism";

    /// <summary>The scenario code threw an exception of its own.</summary>
    public const string ScenarioException = "ScenarioException";

    /// <summary>Misuse of the runtime's API reported by a <see cref="PtGuardException"/> without a kind of its own.</summary>
    public const string ApiMisuse = "ApiMisuse";
}

/// <summary>What went wrong in one execution, and where.</summary>
public sealed record Violation(string Kind, int Cpu, ulong? Address, string Message);
