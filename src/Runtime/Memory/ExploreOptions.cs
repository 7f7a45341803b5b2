namespace PtGuard.Runtime.Memory;

/// <summary>How the explorer chooses executions.</summary>
public enum Strategy
{
    /// <summary>Every execution the model allows, each distinct one once (optimal partial-order reduction).</summary>
    Exhaustive,

    /// <summary>Random walks through the choices, reproducible from <see cref="ExploreOptions.Seed"/>.</summary>
    Random,

    /// <summary>Re-runs the execution recorded in <see cref="ExploreOptions.ReplayWitness"/>.</summary>
    Replay,
}

/// <summary>What the explorer concluded.</summary>
public enum Verdict
{
    /// <summary>Every explored execution was fine and the exploration was complete.</summary>
    Safe,

    /// <summary>Some execution violates a property; the result carries its witness.</summary>
    Violation,

    /// <summary>A bound stopped the exploration before it was complete and nothing was found.</summary>
    Inconclusive,
}

/// <summary>Options of one exploration.</summary>
public sealed record ExploreOptions
{
    /// <summary>The memory model.</summary>
    public MemoryModel Model { get; init; } = MemoryModel.Arm64;

    /// <summary>How executions are chosen.</summary>
    public Strategy Strategy { get; init; } = Strategy.Exhaustive;

    /// <summary>Seed of the random strategy.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Random strategy: how many executions to sample.</summary>
    public int RandomExecutions { get; init; } = 1000;

    /// <summary>Stop (verdict inconclusive) after this many executions; null means no bound.</summary>
    public long? MaxExecutions { get; init; }

    /// <summary>Stop (verdict inconclusive) after this much time; null means no bound.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>
    /// Also explore load buffering: reads that take their value from a write that depends on them through
    /// program order and reads-from (a <c>po</c>∪<c>rf</c> cycle, which ARMv8 allows). On by default for litmus
    /// tests; off by default for C# scenarios, where it multiplies the work by the values each read could promise.
    /// Only meaningful under <see cref="MemoryModel.Arm64"/>.
    /// </summary>
    public bool LoadBuffering { get; init; }

    /// <summary>A thread issuing more events than this is cut off (a spin loop); the verdict becomes inconclusive.</summary>
    public int MaxEventsPerThread { get; init; } = 4096;

    /// <summary>The witness the replay strategy re-runs.</summary>
    public Witness? ReplayWitness { get; init; }

    /// <summary>Keep exploring after a violation (litmus tests want every outcome).</summary>
    public bool ContinueAfterViolation { get; init; }
}
