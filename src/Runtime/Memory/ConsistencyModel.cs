namespace PtGuard.Runtime.Memory;

/// <summary>
/// Decides whether an execution graph is allowed by a memory model. Graphs may be partial (threads still
/// running, promised reads not yet matched); every check is monotone, so a partial graph that fails can be
/// dropped with everything that would extend it.
/// </summary>
internal abstract class ConsistencyModel
{
    public static ConsistencyModel For(MemoryModel model) => model switch
    {
        MemoryModel.Sc => ScModel.Instance,
        MemoryModel.Arm64 => Arm64Model.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    public abstract MemoryModel Model { get; }

    public bool IsConsistent(ExecutionGraph g) => IsAtomic(g) && IsOrdered(g);

    /// <summary>The model's acyclicity axioms.</summary>
    protected abstract bool IsOrdered(ExecutionGraph g);

    /// <summary>Atomicity: an RMW's write comes right after the write its read read from, in coherence.</summary>
    private static bool IsAtomic(ExecutionGraph g)
    {
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 1; i < g.Length(t); i++)
            {
                var e = g[t, i];
                if (!e.Has(EventFlags.RmwWrite)) continue;
                var src = g.RfOf(t, i - 1);
                if (src == ExecutionGraph.PromiseSource) continue;
                var co = g.Co(e.Address);
                var mine = IndexIn(co, ExecutionGraph.Id(t, i));
                var theirs = src == ExecutionGraph.Init ? -1 : IndexIn(co, src);
                if (mine != theirs + 1) return false;
            }
        }
        return true;
    }

    protected static int IndexIn(IReadOnlyList<int> co, int id)
    {
        for (var k = 0; k < co.Count; k++)
        {
            if (co[k] == id) return k;
        }
        return -1;
    }

    /// <summary>Coherence index of the write a read reads from: -1 for the initial value, null for a pending promise.</summary>
    protected static int? RfCoIndex(ExecutionGraph g, int t, int i)
    {
        var src = g.RfOf(t, i);
        if (src == ExecutionGraph.PromiseSource) return null;
        return src == ExecutionGraph.Init ? -1 : IndexIn(g.Co(g[t, i].Address), src);
    }

    /// <summary>
    /// Per-location coherence (SC per location): po-loc, rf, co and fr together are acyclic.
    /// </summary>
    protected static bool IsCoherentPerLocation(ExecutionGraph g)
    {
        var o = new OrderGraph(g);
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 0; i < g.Length(t); i++)
            {
                var e = g[t, i];
                if (!e.IsMemory) continue;
                var v = o.Global(t, i);
                o.AddAll(e.SameAddrReadsBefore, t, v);
                o.AddAll(e.SameAddrWritesBefore, t, v);
            }
        }
        AddCommunication(g, o, externalOnly: false, immediateOnly: true);
        return !o.HasCycle();
    }

    /// <summary>
    /// Adds rf, co and fr edges. With <paramref name="externalOnly"/> only pairs of different threads are added
    /// (ARMv8's <c>rfe | coe | fre</c>); with <paramref name="immediateOnly"/> only the generating edges (enough
    /// when the relation is closed under composition anyway, as under SC).
    /// </summary>
    protected static void AddCommunication(ExecutionGraph g, OrderGraph o, bool externalOnly, bool immediateOnly, bool fetchesMaySeeStale = false)
    {
        foreach (var addr in g.Locations)
        {
            var co = g.Co(addr);
            for (var k = 0; k < co.Count; k++)
            {
                var w = co[k];
                var wt = ExecutionGraph.ThreadOf(w);
                var wv = o.Global(w);
                for (var p = immediateOnly ? Math.Max(0, k - 1) : 0; p < k; p++)
                {
                    if (externalOnly && ExecutionGraph.ThreadOf(co[p]) == wt) continue;
                    o.Add(o.Global(co[p]), wv);
                }
            }
        }
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 0; i < g.Length(t); i++)
            {
                var e = g[t, i];
                if (!e.IsRead) continue;
                var rfIdx = RfCoIndex(g, t, i);
                if (rfIdx is null) continue;
                var r = o.Global(t, i);
                var src = g.RfOf(t, i);
                if (src >= 0 && (!externalOnly || ExecutionGraph.ThreadOf(src) != t)) o.Add(o.Global(src), r);
                // A stale instruction fetch is not fr-before the newer write (see Arm64Model.AddFetchOrder).
                if (fetchesMaySeeStale && e.Has(EventFlags.InstructionFetch)) continue;
                var co = g.Co(e.Address);
                var last = immediateOnly ? Math.Min(co.Count, rfIdx.Value + 2) : co.Count;
                for (var k = rfIdx.Value + 1; k < last; k++)
                {
                    if (externalOnly && ExecutionGraph.ThreadOf(co[k]) == t) continue;
                    o.Add(r, o.Global(co[k]));
                }
            }
        }
    }

    /// <summary>
    /// PtGuard's TLBI rule, shared by both models: a translation read that missed a store the TLBI publishes
    /// is stale, and everything that depends on it must finish before the DSB completing that TLBI; a walk-cache
    /// fill made from a stale read comes before the TLBI's invalidation of that cache slot. This is herd7's
    /// <c>TLBI-ob</c> idea restated for PtGuard's explicit walk-cache locations.
    /// </summary>
    protected static void AddTlbiCompletion(ExecutionGraph g, OrderGraph o, bool sequential)
    {
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var j = 0; j < g.Length(t); j++)
            {
                var tlbi = g[t, j];
                if (tlbi.Kind != EventKind.Tlbi || tlbi.Covers.Length == 0) continue;
                var dsb = -1;
                for (var k = j + 1; k < g.Length(t); k++)
                {
                    if (g[t, k].Kind == EventKind.Fence && g[t, k].Barrier == BarrierKind.DsbFull) { dsb = k; break; }
                }
                for (var u = 0; u < g.ThreadCount; u++)
                {
                    for (var i = 0; i < g.Length(u); i++)
                    {
                        var rt = g[u, i];
                        if (!rt.IsRead || !rt.Has(EventFlags.Translation) || Array.IndexOf(tlbi.Covers, rt.Address) < 0) continue;
                        if (!IsStale(g, t, j, u, i, sequential)) continue;
                        for (var k = i; k < g.Length(u); k++)
                        {
                            var dep = g[u, k];
                            if (k != i && !dep.AddrDeps.Contains(i) && !dep.DataDeps.Contains(i)) continue;
                            var dv = o.Global(u, k);
                            if (dsb >= 0) o.Add(dv, o.Global(t, dsb));
                            if (dep.IsWrite && dep.Has(EventFlags.WalkCacheFill) && Array.IndexOf(tlbi.Covers, dep.Address) >= 0)
                            {
                                var inv = InvalidateWrite(g, t, j, dep.Address);
                                if (inv >= 0) o.Add(dv, o.Global(t, inv));
                            }
                        }
                    }
                }
            }
        }
    }

    private static bool IsStale(ExecutionGraph g, int t, int j, int u, int i, bool sequential)
    {
        var rfIdx = RfCoIndex(g, u, i);
        if (rfIdx is null) return false;
        var addr = g[u, i].Address;
        var co = g.Co(addr);
        var tlbi = g[t, j];
        for (var k = 0; k < j; k++)
        {
            var w = g[t, k];
            if (!w.IsWrite || w.Address != addr) continue;
            // Under SC every earlier store of the TLBI's thread is visible before it; under ARMv8 only those a barrier orders.
            var published = w.Has(EventFlags.TlbiInvalidate) || sequential || tlbi.LobPreds.Contains(k);
            if (published && IndexIn(co, ExecutionGraph.Id(t, k)) > rfIdx.Value) return true;
        }
        return false;
    }

    private static int InvalidateWrite(ExecutionGraph g, int t, int j, ulong addr)
    {
        for (var k = j - 1; k >= 0; k--)
        {
            var w = g[t, k];
            if (w.IsWrite && w.Address == addr && w.Has(EventFlags.TlbiInvalidate)) return k;
        }
        return -1;
    }
}
