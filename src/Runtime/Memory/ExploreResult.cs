namespace PtGuard.Runtime.Memory;

/// <summary>The outcome of an exploration.</summary>
public sealed record ExploreResult
{
    /// <summary>Safe, violation or inconclusive.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>The violation found, if any.</summary>
    public Violation? Violation { get; init; }

    /// <summary>The execution that shows the violation, replayable.</summary>
    public Witness? Witness { get; init; }

    /// <summary>Complete executions explored (consistent, every thread finished).</summary>
    public long Executions { get; init; }

    /// <summary>Distinct complete executions among them (by reads-from and coherence).</summary>
    public long Distinct { get; init; }

    /// <summary>Executions that ended with a thread blocked on a value a later write would have changed (GenMC's "blocked"; not counted above).</summary>
    public long Blocked { get; init; }

    /// <summary>Events added to execution graphs during the exploration.</summary>
    public long Events { get; init; }

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Why the exploration stopped early, for an inconclusive verdict.</summary>
    public string? StoppedBy { get; init; }
}
