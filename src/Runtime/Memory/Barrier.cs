namespace PtGuard.Runtime.Memory;

/// <summary>The barrier instructions of ARMv8-A. herd7 treats ISH/OSH/SY alike; so does PtGuard.</summary>
public enum BarrierKind
{
    /// <summary><c>DMB ISH</c> / <c>DMB SY</c>: orders every access before against every access after.</summary>
    DmbFull,

    /// <summary><c>DMB ISHLD</c>: orders reads before against everything after.</summary>
    DmbLd,

    /// <summary><c>DMB ISHST</c>: orders writes before against writes after.</summary>
    DmbSt,

    /// <summary><c>DSB ISH</c>: as <c>DMB ISH</c>, and also completes TLB maintenance issued before it.</summary>
    DsbFull,

    /// <summary><c>DSB ISHLD</c>: orders reads before against everything after.</summary>
    DsbLd,

    /// <summary><c>DSB ISHST</c>: orders writes before against everything after (unlike <c>DMB ISHST</c>).</summary>
    DsbSt,

    /// <summary><c>ISB</c>: context synchronization; with a control dependency before it, orders later reads.</summary>
    Isb,

    /// <summary>
    /// <c>DC CVAU, Xn</c>: clean the data cache line of an instruction location to the point of unification. Not a
    /// barrier: it orders nothing by itself; with a DSB, <c>IC IVAU</c> and a DSB after a write of an instruction it
    /// makes the write visible to instruction fetches (<see cref="Cpu.FetchInstruction"/>).
    /// </summary>
    DcCvau,

    /// <summary><c>IC IVAU, Xn</c>: invalidate the instruction cache line (see <see cref="DcCvau"/>).</summary>
    IcIvau,
}

/// <summary>The kind of a load.</summary>
public enum LoadKind
{
    /// <summary><c>LDR</c>.</summary>
    Plain,

    /// <summary><c>LDAR</c> (RCsc acquire).</summary>
    Acquire,

    /// <summary><c>LDAPR</c> (RCpc acquire).</summary>
    AcquirePC,
}

/// <summary>The kind of a store.</summary>
public enum StoreKind
{
    /// <summary><c>STR</c>.</summary>
    Plain,

    /// <summary><c>STLR</c>.</summary>
    Release,
}

/// <summary>Ordering of a read-modify-write (the <c>SWP</c>/<c>LDADD</c>/<c>CAS</c> families and their A/L/AL forms).</summary>
[Flags]
public enum RmwOrder
{
    /// <summary>No acquire or release.</summary>
    Relaxed = 0,

    /// <summary>The read is an acquire (<c>SWPA</c>).</summary>
    Acquire = 1,

    /// <summary>The write is a release (<c>SWPL</c>).</summary>
    Release = 2,

    /// <summary>Both (<c>SWPAL</c>).</summary>
    AcquireRelease = Acquire | Release,
}

/// <summary>TLB invalidation scope.</summary>
public enum TlbiScope
{
    /// <summary><c>TLBI VAAE1IS</c>: every level of cached translation for the address, walk caches included.</summary>
    AllLevels,

    /// <summary><c>TLBI VAALE1IS</c>: last-level entries only; walk caches survive.</summary>
    LeafOnly,
}
