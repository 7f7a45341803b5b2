namespace PtGuard.Runtime;

// The analyzers recognise the freeing protocol by these attributes, found by metadata name, so a
// user's own wrapper joins the protocol by carrying the same attribute as the primitive it wraps.
// Parameter names are given as strings because attributes cannot refer to parameters directly.

/// <summary>The method stores an empty descriptor into the entry named by <see cref="Entry"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ClearsEntryAttribute : Attribute
{
    /// <summary>Declares that the parameter <paramref name="entry"/> is the entry being cleared.</summary>
    public ClearsEntryAttribute(string entry) => Entry = entry;

    /// <summary>Name of the parameter holding the entry pointer.</summary>
    public string Entry { get; }
}

/// <summary>The method invalidates every level of cached translation (walk caches included) for the address parameter.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FlushesWalkCacheAttribute : Attribute
{
    /// <summary>Declares that the parameter <paramref name="address"/> is the virtual address flushed.</summary>
    public FlushesWalkCacheAttribute(string address) => Address = address;

    /// <summary>Name of the parameter holding the virtual address.</summary>
    public string Address { get; }
}

/// <summary>The method invalidates last-level (leaf) translations only; walk caches keep pointers to lower tables.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FlushesLeafOnlyAttribute : Attribute
{
    /// <summary>Declares that the parameter <paramref name="start"/> is the first virtual address flushed.</summary>
    public FlushesLeafOnlyAttribute(string start) => Start = start;

    /// <summary>Name of the parameter holding the first virtual address.</summary>
    public string Start { get; }
}

/// <summary>The method returns the page-table page named by <see cref="Table"/> to the allocator.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class FreesTableAttribute : Attribute
{
    /// <summary>Declares that the parameter <paramref name="table"/> is the table being freed.</summary>
    public FreesTableAttribute(string table) => Table = table;

    /// <summary>Name of the parameter holding the table pointer.</summary>
    public string Table { get; }
}

/// <summary>The method's return value points into the lower table that the entry <see cref="Entry"/> points at.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TableOfAttribute : Attribute
{
    /// <summary>Declares that the result is derived from the descriptor stored in parameter <paramref name="entry"/>.</summary>
    public TableOfAttribute(string entry) => Entry = entry;

    /// <summary>Name of the parameter holding the entry pointer.</summary>
    public string Entry { get; }

    /// <summary>Name of the parameter holding the virtual address the table covers; null means the first <c>ulong</c> parameter.</summary>
    public string? Address { get; set; }
}
