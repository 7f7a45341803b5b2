namespace PtGuard.Runtime.Memory;

/// <summary>
/// One execution, complete enough to print and to replay: every CPU's events in program order, where each
/// read read from, the coherence order of each location, and the violation it shows (if any).
/// </summary>
public sealed record Witness
{
    /// <summary>The program (scenario or litmus test) it came from.</summary>
    public required string Program { get; init; }

    /// <summary>"arm64" or "sc".</summary>
    public required string Model { get; init; }

    /// <summary>CPU display names, by CPU number.</summary>
    public required IReadOnlyList<string> Cpus { get; init; }

    /// <summary>All events, by CPU then program order.</summary>
    public required IReadOnlyList<WitnessEvent> Events { get; init; }

    /// <summary>Locations with more than one write, in coherence order, and every location's final value.</summary>
    public required IReadOnlyList<WitnessLocation> Locations { get; init; }

    /// <summary>What went wrong, or null for a plain execution.</summary>
    public Violation? Violation { get; init; }

    /// <summary>The events of one CPU.</summary>
    public IEnumerable<WitnessEvent> EventsOf(int cpu) => Events.Where(e => e.Cpu == cpu);

    /// <summary>The events whose label contains <paramref name="text"/>.</summary>
    public IEnumerable<WitnessEvent> Labelled(string text) => Events.Where(e => e.Label?.Contains(text, StringComparison.Ordinal) == true);
}

/// <summary>One event of a witness.</summary>
public sealed record WitnessEvent
{
    /// <summary>CPU number.</summary>
    public required int Cpu { get; init; }

    /// <summary>Position in the CPU's program order.</summary>
    public required int Index { get; init; }

    /// <summary>Read, Write, Fence or Tlbi.</summary>
    public required EventKind Kind { get; init; }

    /// <summary>Acquire, AcquirePC, Release, RmwRead, RmwWrite, Await, Translation, WalkCacheFill, TlbiInvalidate.</summary>
    public IReadOnlyList<string> Flags { get; init; } = Array.Empty<string>();

    /// <summary>For a fence: which barrier.</summary>
    public BarrierKind? Barrier { get; init; }

    /// <summary>For a TLBI: its scope.</summary>
    public TlbiScope? Scope { get; init; }

    /// <summary>Address accessed (for a TLBI, the virtual address).</summary>
    public ulong Address { get; init; }

    /// <summary>Name of the address, when it has one.</summary>
    public string? Location { get; init; }

    /// <summary>Value read or written.</summary>
    public ulong Value { get; init; }

    /// <summary>For a read: "init", "promise" or "cpu:index" of the write it read from.</summary>
    public string? ReadsFrom { get; init; }

    /// <summary>What the layer above called this access.</summary>
    public string? Label { get; init; }

    /// <summary>Reads (indices in the same CPU) this event's address depends on.</summary>
    public IReadOnlyList<int> AddrDeps { get; init; } = Array.Empty<int>();

    /// <summary>Reads this event's written value depends on.</summary>
    public IReadOnlyList<int> DataDeps { get; init; } = Array.Empty<int>();

    /// <summary>Reads this event is control-dependent on.</summary>
    public IReadOnlyList<int> CtrlDeps { get; init; } = Array.Empty<int>();

    /// <summary>For a TLBI: locations whose cached copies it invalidates.</summary>
    public IReadOnlyList<ulong> Covers { get; init; } = Array.Empty<ulong>();

    /// <summary>Opaque tag from the layer above.</summary>
    public int Tag { get; init; }

    /// <summary>Order in which the explorer added the event.</summary>
    public int Stamp { get; init; }

    /// <summary>"cpu:index".</summary>
    public string Ref => $"{Cpu}:{Index}";

    /// <summary>Whether the event carries <paramref name="flag"/>.</summary>
    public bool Has(string flag) => Flags.Contains(flag);
}

/// <summary>A location of a witness.</summary>
public sealed record WitnessLocation
{
    /// <summary>Address.</summary>
    public required ulong Address { get; init; }

    /// <summary>Name, if it has one.</summary>
    public string? Name { get; init; }

    /// <summary>Writes in coherence order ("cpu:index"), after the initial value.</summary>
    public required IReadOnlyList<string> Coherence { get; init; }

    /// <summary>Initial value.</summary>
    public ulong Initial { get; init; }

    /// <summary>Final value.</summary>
    public ulong Final { get; init; }
}
