using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PtGuard.Analyzers.Flow;

/// <summary>What is wrong with one free, as the first broken step in protocol order.</summary>
internal enum FreeBreak
{
    None,
    MissingClear,
    ClearedOtherEntry,
    FreeBeforeClear,
    DerivedAfterClear,
    MissingFlush,
    LeafOnlyFlush,
    FlushBeforeClear,
    FreeBeforeFlush,
    MissingCycle,
    CycleBeforeFlush,
    CycleBeforeClear,
    FreeBeforeCycle,

    /// <summary>The table is freed and an entry inside it is derived from or cleared afterwards (its children freed after it).</summary>
    FreeBeforeUse,
    LockFreeNotIsolated,
    NotHeld,
    TrylockIgnored,
}

/// <summary>Something the flow engine found; the rules turn these into diagnostics.</summary>
internal abstract class Fact
{
    /// <summary>The operation at fault (inside a helper when <see cref="Anchor"/> is set).</summary>
    public IOperation Site { get; init; } = null!;

    /// <summary>The call in the reported body that leads to <see cref="Site"/>; null when the site is in that body.</summary>
    public IOperation? Anchor { get; set; }

    public IOperation ReportAt => Anchor ?? Site;

    /// <summary>" on the path through …", or empty.</summary>
    public string PathNote { get; set; } = "";

    /// <summary>The helper called at <see cref="Anchor"/>, when the site is inside it.</summary>
    public string? ViaCall => Anchor is { Syntax: { } s } ? CalleeName(Anchor) : null;

    /// <summary>A copy reported at <paramref name="call"/> in the calling body.</summary>
    public Fact AnchoredAt(IOperation call)
    {
        var copy = (Fact)MemberwiseClone();
        copy.Anchor = call;
        return copy;
    }

    private static string? CalleeName(IOperation op) => op is Microsoft.CodeAnalysis.Operations.IInvocationOperation inv ? inv.TargetMethod.Name : op.Syntax.ToString();
}

/// <summary>A table free and the first step it lacks (or <see cref="FreeBreak.None"/>).</summary>
internal sealed class FreeFact : Fact
{
    public FreeBreak Break { get; set; }

    public string Table { get; init; } = "";

    public string? Entry { get; init; }

    public string? Address { get; init; }

    public string? ClearedInstead { get; init; }

    /// <summary>For a child table: the entry of the table holding its entry.</summary>
    public string? ParentEntry { get; init; }

    /// <summary>The free skipped its own cycle because a bool argument said so (<c>acquireMmapLock: false</c>).</summary>
    public string? LockFreeArgument { get; init; }

    public IOperation? DeriveSite { get; init; }

    public IOperation? ClearSite { get; init; }

    public IOperation? FlushSite { get; init; }

    public IOperation? CycleSite { get; init; }

    /// <summary>For a free before a step: the first such step after the free.</summary>
    public IOperation? LateSite { get; set; }

    /// <summary>The freed table's value (to tell, at a call, whether the caller passed it in).</summary>
    public int TableValue { get; init; } = ValueTable.None;

    /// <summary>Pending trylocks whose results were ignored on the way here.</summary>
    public IReadOnlyList<PendingTrylock> IgnoredTrylocks { get; init; } = new List<PendingTrylock>();
}

/// <summary>A lock cycle that protects a free but is malformed or unguarded, or a lock never released.</summary>
internal sealed class CycleFact : Fact
{
    /// <summary>Not a malformation: the cycle is fine but not guarded by the walker key (PTG0007).</summary>
    public const string Unguarded = "Unguarded";

    /// <summary>The cycle was taken by the caller of the helper whose free it protects.</summary>
    public bool FromCaller { get; init; }

    public string Malformation { get; init; } = "";

    public IOperation? Unlock { get; init; }

    public IOperation? GuardSite { get; init; }

    public IOperation? Work { get; init; }

    public string Mm { get; init; } = "";

    /// <summary>The free this cycle protects (for a code fix that must keep the cycle after that free's flush).</summary>
    public IOperation? ProtectedFree { get; init; }

    /// <summary>The walk-cache flush of the protected free's entry, when there is one.</summary>
    public IOperation? ProtectedFlush { get; init; }
}

/// <summary>A walk of init_mm that the walker key does not bracket on every path.</summary>
internal sealed class WalkFact : Fact
{
    /// <summary>False: no bracket on any path (PTG0009); true: on some paths only (PTG0010).</summary>
    public bool SomePaths { get; init; }

    public int MmValue { get; init; } = ValueTable.None;

    public string Mm { get; init; } = "";
}

/// <summary>A raise of the walker key not lowered again on every path to the exit.</summary>
internal sealed class UnbalancedKeyFact : Fact
{
}

/// <summary>A non-counted update (Enable/Disable) of the walker key.</summary>
internal sealed class UncountedKeyFact : Fact
{
    public bool IsEnable { get; init; }
}

/// <summary>A call to a <c>[RequiresLock]</c> helper without the lock held on every path.</summary>
internal sealed class RequiresLockFact : Fact
{
    public string Callee { get; init; } = "";
}

/// <summary>A trylock whose result is thrown away.</summary>
internal sealed class TrylockFact : Fact
{
    public string Mm { get; init; } = "";
}

/// <summary>A blocking read lock of an mm already held.</summary>
internal sealed class NestedLockFact : Fact
{
    /// <summary>The outer lock was held by the caller of the helper that nests.</summary>
    public bool FromCaller { get; init; }

    public string Mm { get; init; } = "";
}
