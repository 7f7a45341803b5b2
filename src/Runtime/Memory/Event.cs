namespace PtGuard.Runtime.Memory;

/// <summary>What an event is.</summary>
public enum EventKind : byte
{
    /// <summary>A memory read.</summary>
    Read,

    /// <summary>A memory write.</summary>
    Write,

    /// <summary>A barrier.</summary>
    Fence,

    /// <summary>A TLB invalidation (broadcast).</summary>
    Tlbi,
}

[Flags]
internal enum EventFlags : ushort
{
    None = 0,
    Acquire = 1,
    AcquirePC = 2,
    Release = 4,
    RmwRead = 8,
    RmwWrite = 16,
    Await = 32,
    Translation = 64,
    WalkCacheFill = 128,
    TlbiInvalidate = 256,
    InstructionFetch = 512,
    NoRet = 1024,
}

/// <summary>
/// One event of one thread. Immutable once added: graph copies share it. What varies between executions
/// (where a read reads from, where a write sits in coherence) lives in <see cref="ExecutionGraph"/>.
/// </summary>
internal sealed class Event
{
    public required EventKind Kind { get; init; }
    public EventFlags Flags { get; init; }
    public BarrierKind Barrier { get; init; }
    public TlbiScope Scope { get; init; }
    public int Thread { get; init; }
    public int Index { get; init; }

    /// <summary>Address accessed (reads, writes); for a TLBI, the virtual address invalidated.</summary>
    public ulong Address { get; init; }

    /// <summary>Value written (writes only; a read's value comes from what it reads from).</summary>
    public ulong Value { get; init; }

    public DepSet AddrDeps { get; init; }
    public DepSet DataDeps { get; init; }
    public DepSet CtrlDeps { get; init; }

    /// <summary>Events of the same thread locally ordered before this one (ARMv8 <c>lob</c>, transitively closed).</summary>
    public DepSet LobPreds { get; set; }

    /// <summary>Earlier reads of the same thread and address (for hazard ordering and coherence).</summary>
    public DepSet SameAddrReadsBefore { get; init; }

    /// <summary>Earlier writes of the same thread and address.</summary>
    public DepSet SameAddrWritesBefore { get; init; }

    /// <summary>For a TLBI: the locations (table entries, walk-cache slots) whose cached copies it invalidates.</summary>
    public ulong[] Covers { get; init; } = Array.Empty<ulong>();

    /// <summary>What the layer above calls this access ("PmdClear(pmd@0x...)"), for witnesses.</summary>
    public string? Label { get; init; }

    /// <summary>Opaque tag from the layer above (page generation, poison marker).</summary>
    public int Tag { get; init; }

    public bool IsRead => Kind == EventKind.Read;
    public bool IsWrite => Kind == EventKind.Write;
    public bool IsMemory => Kind is EventKind.Read or EventKind.Write;
    public bool Has(EventFlags f) => (Flags & f) != 0;

    /// <summary>Whether a replayed event is the same as this one (the scenario must be deterministic).</summary>
    public bool SameShape(Event other) =>
        Kind == other.Kind && Address == other.Address && Flags == other.Flags && Barrier == other.Barrier
        && (Kind != EventKind.Write || Value == other.Value);

    public override string ToString() => Describe();

    public string Describe()
    {
        var what = Kind switch
        {
            EventKind.Read => $"R{Suffix()} 0x{Address:x}",
            EventKind.Write => $"W{Suffix()} 0x{Address:x}=0x{Value:x}",
            EventKind.Fence => Barrier.ToString(),
            _ => $"TLBI {(Scope == TlbiScope.AllLevels ? "VAAE1IS" : "VAALE1IS")} 0x{Address:x}",
        };
        return Label is null ? what : $"{what} [{Label}]";
    }

    private string Suffix()
    {
        var s = "";
        if (Has(EventFlags.Acquire)) s += "acq";
        if (Has(EventFlags.AcquirePC)) s += "acqpc";
        if (Has(EventFlags.Release)) s += "rel";
        if (Has(EventFlags.RmwRead) || Has(EventFlags.RmwWrite)) s += "*";
        return s.Length == 0 ? "" : "." + s;
    }
}
