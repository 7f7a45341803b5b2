using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace PtGuard.Analyzers.Flow;

/// <summary>How far an entry has got through the sequence a software walker needs (must: the least over paths).</summary>
internal enum SwProgress : byte
{
    None,
    Cleared,
    Barriered,
    Protected,
}

/// <summary>How far an entry has got through what a hardware walker's walk caches need.</summary>
internal enum HwProgress : byte
{
    None,
    Cleared,
    Flushed,
}

/// <summary>Steps seen in the wrong order on some path (may), kept to explain a missing step.</summary>
[Flags]
internal enum Misorder : byte
{
    None = 0,
    FlushBeforeClear = 1,
    CycleBeforeFlush = 2,
    CycleBeforeClear = 4,
    LeafOnlyAfterClear = 8,
    WalkFlushWrongAddress = 16,
    DerivedAfterClear = 32,
}

/// <summary>The typestate of one entry (and so of the table it points at).</summary>
internal struct EntryState : IEquatable<EntryState>
{
    public SwProgress Sw;
    public HwProgress Hw;
    public Misorder Bits;
    public IOperation? ClearSite;
    public IOperation? FlushSite;
    public IOperation? CycleSite;
    public int FlushedAddress;

    public static EntryState Join(EntryState a, EntryState b) => new()
    {
        Sw = a.Sw < b.Sw ? a.Sw : b.Sw,
        Hw = a.Hw < b.Hw ? a.Hw : b.Hw,
        Bits = a.Bits | b.Bits,
        ClearSite = a.ClearSite ?? b.ClearSite,
        FlushSite = a.FlushSite ?? b.FlushSite,
        CycleSite = a.CycleSite ?? b.CycleSite,
        FlushedAddress = a.FlushedAddress == b.FlushedAddress ? a.FlushedAddress : ValueTable.None,
    };

    public readonly bool Equals(EntryState o) =>
        Sw == o.Sw && Hw == o.Hw && Bits == o.Bits && ClearSite == o.ClearSite && FlushSite == o.FlushSite && CycleSite == o.CycleSite && FlushedAddress == o.FlushedAddress;

    public override readonly bool Equals(object? obj) => obj is EntryState o && Equals(o);

    public override readonly int GetHashCode() => ((int)Sw * 7) ^ ((int)Hw * 31) ^ ((int)Bits << 8);
}

/// <summary>Lock counts of one mm: must (min) and may (max) over paths, relative to the analysed body's start.</summary>
internal struct LockCount : IEquatable<LockCount>
{
    public sbyte ReadMin, ReadMax, WriteMin, WriteMax;

    public static LockCount Join(LockCount a, LockCount b) => new()
    {
        ReadMin = Math.Min(a.ReadMin, b.ReadMin),
        ReadMax = Math.Max(a.ReadMax, b.ReadMax),
        WriteMin = Math.Min(a.WriteMin, b.WriteMin),
        WriteMax = Math.Max(a.WriteMax, b.WriteMax),
    };

    public readonly bool HeldOnEveryPath => ReadMin > 0 || WriteMin > 0;

    public readonly bool Equals(LockCount o) => ReadMin == o.ReadMin && ReadMax == o.ReadMax && WriteMin == o.WriteMin && WriteMax == o.WriteMax;

    public override readonly bool Equals(object? obj) => obj is LockCount o && Equals(o);

    public override readonly int GetHashCode() => ReadMin ^ (ReadMax << 4) ^ (WriteMin << 8) ^ (WriteMax << 12);

    public static sbyte Clamp(int v) => (sbyte)Math.Max(-2, Math.Min(3, v));
}

/// <summary>How a lock call is guarded.</summary>
internal enum Guard : byte
{
    None,
    WalkerKey,
    OtherKey,
}

/// <summary>A lock taken and not yet released; closes into a cycle at the matching unlock.</summary>
internal sealed record OpenLock(IOperation Site, IOperation? Anchor, int Mm, LockMode Mode, Guard Guard, IOperation? GuardSite, IOperation? Work);

/// <summary>A lock cycle with something wrong (or unguarded), waiting for a free it protects.</summary>
internal sealed record PendingCycle(IOperation Lock, IOperation? Unlock, IOperation? Anchor, string Malformation, IOperation? GuardSite, IOperation? Work, int Mm);

/// <summary>A trylock whose result has not been tested yet.</summary>
internal sealed record PendingTrylock(IOperation Site, IOperation? Anchor);

/// <summary>A table freed on some path, for "freed before step X".</summary>
internal sealed record FreedTable(int Entry, IOperation Free, int Address);

/// <summary>
/// The abstract state at one program point. Its maps are <see cref="PersistentMap{TKey, TValue}"/>s: a copy is O(1)
/// and a join or comparison costs what the two states do not share, so the analysis stays linear in the graph's size
/// however many variables and tables a method has.
/// </summary>
internal sealed class FlowState
{
    private static readonly IEqualityComparer<HashSet<int>> SetComparer = HashSet<int>.CreateSetComparer();

    public PersistentMap<ISymbol, int> Vars { get; private set; } = new(SymbolEqualityComparer.Default);

    public PersistentMap<CaptureId, int> Captures { get; set; } = new();

    public PersistentMap<int, EntryState> Entries { get; private set; } = new();

    public PersistentMap<int, LockCount> Locks { get; private set; } = new();

    /// <summary>Key tests made so far: the entries that had reached <see cref="SwProgress.Barriered"/> when the key was read (sets never changed once made).</summary>
    public PersistentMap<IOperation, HashSet<int>> KeyTests { get; private set; } = new();

    public HashSet<OpenLock> OpenLocks { get; private set; } = new();

    public HashSet<PendingCycle> PendingCycles { get; private set; } = new();

    public HashSet<PendingTrylock> PendingTrylocks { get; private set; } = new();

    /// <summary>Tables freed on some path (the keys; the values are always true).</summary>
    public PersistentMap<FreedTable, bool> Freed { get; private set; } = new();

    /// <summary>On every path, inside the true branch of a walker-key test (must).</summary>
    public bool WalkerKeyOn;

    /// <summary>Inside the true branch of a test of another key, on every path (must); the test's site.</summary>
    public IOperation? OtherKeyOn;

    /// <summary>Walker-key raises minus lowers since the body's start: least and greatest over paths.</summary>
    public sbyte KeyMin, KeyMax;

    /// <summary>The first walker-key raise of this body still counted (for PTG0010's location).</summary>
    public IOperation? KeyRaise;

    /// <summary>Whether a non-counted enable raised the key (PTG0011 reports it; walks under it count as bracketed).</summary>
    public bool UncountedRaise;

    /// <summary>The value returned on the paths that reached the exit with a value.</summary>
    public int Returned = ValueTable.None;

    public FlowState Clone() => new()
    {
        Vars = Vars.Clone(),
        Captures = Captures.Clone(),
        Entries = Entries.Clone(),
        Locks = Locks.Clone(),
        KeyTests = KeyTests.Clone(),
        OpenLocks = new(OpenLocks),
        PendingCycles = new(PendingCycles),
        PendingTrylocks = new(PendingTrylocks),
        Freed = Freed.Clone(),
        WalkerKeyOn = WalkerKeyOn,
        OtherKeyOn = OtherKeyOn,
        KeyMin = KeyMin,
        KeyMax = KeyMax,
        KeyRaise = KeyRaise,
        UncountedRaise = UncountedRaise,
        Returned = Returned,
    };

    /// <summary>Takes over every part of <paramref name="other"/> (after a call returns).</summary>
    public void ReplaceWith(FlowState other)
    {
        Vars = other.Vars;
        Captures = other.Captures;
        Entries = other.Entries;
        Locks = other.Locks;
        KeyTests = other.KeyTests;
        OpenLocks = other.OpenLocks;
        PendingCycles = other.PendingCycles;
        PendingTrylocks = other.PendingTrylocks;
        Freed = other.Freed;
        WalkerKeyOn = other.WalkerKeyOn;
        OtherKeyOn = other.OtherKeyOn;
        KeyMin = other.KeyMin;
        KeyMax = other.KeyMax;
        KeyRaise = other.KeyRaise;
        UncountedRaise = other.UncountedRaise;
        Returned = other.Returned;
    }

    public int GetVar(ISymbol symbol, ValueTable values)
    {
        if (Vars.TryGetValue(symbol, out var v)) return v;
        v = values.Input(symbol);
        Vars[symbol] = v;
        return v;
    }

    public EntryState EntryOf(int entry) => Entries.TryGetValue(entry, out var s) ? s : default;

    public LockCount LockOf(int mm) => Locks.TryGetValue(mm, out var l) ? l : default;

    /// <summary>Joins <paramref name="other"/> into a copy of this state at the join point <paramref name="join"/>.</summary>
    public FlowState Join(FlowState other, ValueTable values, object join)
    {
        var r = new FlowState
        {
            Vars = PersistentMap<ISymbol, int>.Union(Vars, other.Vars, (k, a, b) => values.Join(a, b, join, k)),
            Captures = PersistentMap<CaptureId, int>.Union(Captures, other.Captures, (k, a, b) => values.Join(a, b, join, k)),
            // An entry one path never touched is at its start there.
            Entries = PersistentMap<int, EntryState>.Union(Entries, other.Entries, (_, a, b) => EntryState.Join(a, b), (_, a) => EntryState.Join(a, default)),
            Locks = PersistentMap<int, LockCount>.Union(Locks, other.Locks, (_, a, b) => LockCount.Join(a, b), (_, a) => LockCount.Join(a, default)),
            KeyTests = PersistentMap<IOperation, HashSet<int>>.Intersect(KeyTests, other.KeyTests, (_, a, b) =>
            {
                var set = new HashSet<int>(a);
                set.IntersectWith(b);
                return set.SetEquals(a) ? a : set;
            }),
            Freed = PersistentMap<FreedTable, bool>.Union(Freed, other.Freed, (_, a, b) => a || b),
        };
        r.OpenLocks = new(OpenLocks.Union(other.OpenLocks));
        r.PendingCycles = new(PendingCycles.Union(other.PendingCycles));
        r.PendingTrylocks = new(PendingTrylocks.Union(other.PendingTrylocks));
        r.WalkerKeyOn = WalkerKeyOn && other.WalkerKeyOn;
        r.OtherKeyOn = OtherKeyOn == other.OtherKeyOn ? OtherKeyOn : null;
        r.KeyMin = Math.Min(KeyMin, other.KeyMin);
        r.KeyMax = Math.Max(KeyMax, other.KeyMax);
        r.KeyRaise = KeyRaise ?? other.KeyRaise;
        r.UncountedRaise = UncountedRaise || other.UncountedRaise;
        r.Returned = Returned == other.Returned ? Returned : Returned == ValueTable.None ? other.Returned : other.Returned == ValueTable.None ? Returned : values.Opaque(join);
        return r;
    }

    public bool SameAs(FlowState o)
    {
        return Vars.SameAs(o.Vars) && Captures.SameAs(o.Captures) && Entries.SameAs(o.Entries) && Locks.SameAs(o.Locks)
            && KeyTests.SameAs(o.KeyTests, SetComparer)
            && OpenLocks.SetEquals(o.OpenLocks) && PendingCycles.SetEquals(o.PendingCycles) && PendingTrylocks.SetEquals(o.PendingTrylocks)
            && Freed.SameAs(o.Freed) && WalkerKeyOn == o.WalkerKeyOn && OtherKeyOn == o.OtherKeyOn
            && KeyMin == o.KeyMin && KeyMax == o.KeyMax && KeyRaise == o.KeyRaise && UncountedRaise == o.UncountedRaise && Returned == o.Returned;
    }
}
