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

/// <summary>The abstract state at one program point.</summary>
internal sealed class FlowState
{
    public Dictionary<ISymbol, int> Vars { get; private set; } = new(SymbolEqualityComparer.Default);

    public Dictionary<CaptureId, int> Captures { get; set; } = new();

    public Dictionary<int, EntryState> Entries { get; private set; } = new();

    public Dictionary<int, LockCount> Locks { get; private set; } = new();

    /// <summary>Key tests made so far: the entries that had reached <see cref="SwProgress.Barriered"/> when the key was read.</summary>
    public Dictionary<IOperation, HashSet<int>> KeyTests { get; private set; } = new();

    public HashSet<OpenLock> OpenLocks { get; private set; } = new();

    public HashSet<PendingCycle> PendingCycles { get; private set; } = new();

    public HashSet<PendingTrylock> PendingTrylocks { get; private set; } = new();

    public HashSet<FreedTable> Freed { get; private set; } = new();

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
        Vars = new(Vars, SymbolEqualityComparer.Default),
        Captures = new(Captures),
        Entries = new(Entries),
        Locks = new(Locks),
        KeyTests = KeyTests.ToDictionary(kv => kv.Key, kv => kv.Value),
        OpenLocks = new(OpenLocks),
        PendingCycles = new(PendingCycles),
        PendingTrylocks = new(PendingTrylocks),
        Freed = new(Freed),
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
        var r = new FlowState();
        foreach (var kv in Vars)
        {
            r.Vars[kv.Key] = other.Vars.TryGetValue(kv.Key, out var o) ? values.Join(kv.Value, o, join, kv.Key) : kv.Value;
        }
        foreach (var kv in other.Vars)
        {
            if (!r.Vars.ContainsKey(kv.Key)) r.Vars[kv.Key] = kv.Value;
        }
        foreach (var kv in Captures)
        {
            r.Captures[kv.Key] = other.Captures.TryGetValue(kv.Key, out var o) ? values.Join(kv.Value, o, join, kv.Key) : kv.Value;
        }
        foreach (var kv in other.Captures)
        {
            if (!r.Captures.ContainsKey(kv.Key)) r.Captures[kv.Key] = kv.Value;
        }
        foreach (var key in Entries.Keys.Union(other.Entries.Keys))
        {
            r.Entries[key] = EntryState.Join(EntryOf(key), other.EntryOf(key));
        }
        foreach (var key in Locks.Keys.Union(other.Locks.Keys))
        {
            r.Locks[key] = LockCount.Join(LockOf(key), other.LockOf(key));
        }
        foreach (var kv in KeyTests)
        {
            if (other.KeyTests.TryGetValue(kv.Key, out var o))
            {
                var set = new HashSet<int>(kv.Value);
                set.IntersectWith(o);
                r.KeyTests[kv.Key] = set;
            }
        }
        r.OpenLocks = new(OpenLocks.Union(other.OpenLocks));
        r.PendingCycles = new(PendingCycles.Union(other.PendingCycles));
        r.PendingTrylocks = new(PendingTrylocks.Union(other.PendingTrylocks));
        r.Freed = new(Freed.Union(other.Freed));
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
        return DictEq(Vars, o.Vars) && DictEq(Captures, o.Captures) && DictEq(Entries, o.Entries) && DictEq(Locks, o.Locks)
            && KeyTests.Count == o.KeyTests.Count && KeyTests.All(kv => o.KeyTests.TryGetValue(kv.Key, out var s) && s.SetEquals(kv.Value))
            && OpenLocks.SetEquals(o.OpenLocks) && PendingCycles.SetEquals(o.PendingCycles) && PendingTrylocks.SetEquals(o.PendingTrylocks)
            && Freed.SetEquals(o.Freed) && WalkerKeyOn == o.WalkerKeyOn && OtherKeyOn == o.OtherKeyOn
            && KeyMin == o.KeyMin && KeyMax == o.KeyMax && KeyRaise == o.KeyRaise && UncountedRaise == o.UncountedRaise && Returned == o.Returned;
    }

    private static bool DictEq<TK, TV>(Dictionary<TK, TV> a, Dictionary<TK, TV> b)
        where TK : notnull
    {
        if (a.Count != b.Count) return false;
        var cmp = EqualityComparer<TV>.Default;
        foreach (var kv in a)
        {
            if (!b.TryGetValue(kv.Key, out var v) || !cmp.Equals(kv.Value, v)) return false;
        }
        return true;
    }
}
