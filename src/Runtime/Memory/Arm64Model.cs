namespace PtGuard.Runtime.Memory;

/// <summary>
/// ARMv8-A after Arm's <c>aarch64.cat</c> (herdtools7 <c>herd/libdir</c>), for explicit accesses:
/// <list type="bullet">
/// <item><b>internal</b>: per-location coherence, <c>acyclic(po-loc | ca | rf)</c>;</item>
/// <item><b>external</b>: <c>ob = (obs | lob | haz-ob)+</c> is irreflexive, with <c>obs = rfe | coe | fre</c>,
/// <c>lob</c> the thread-local order computed once per event (<see cref="LocalOrder"/>), and
/// <c>Exp-haz-ob = [R]; po-loc; [R]; (ca &amp; ext); [W]</c>;</item>
/// <item><b>atomic</b>: no write between an RMW's read and write in coherence.</item>
/// </list>
/// The model is axiomatic: graphs are built by the explorer and checked here, as herd7 and GenMC do.
/// </summary>
internal sealed class Arm64Model : ConsistencyModel
{
    public static readonly Arm64Model Instance = new();

    public override MemoryModel Model => MemoryModel.Arm64;

    protected override bool IsOrdered(ExecutionGraph g)
    {
        if (!IsCoherentPerLocation(g)) return false;
        var o = new OrderGraph(g);
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 0; i < g.Length(t); i++) o.AddAll(g[t, i].LobPreds, t, o.Global(t, i));
        }
        AddCommunication(g, o, externalOnly: true, immediateOnly: false, fetchesMaySeeStale: true);
        AddFetchOrder(g, o);
        AddHazardOrder(g, o);
        AddTlbiCompletion(g, o, sequential: false);
        return !o.HasCycle();
    }

    /// <summary>
    /// <c>Exp-haz-ob</c>: if a later read of a location is coherence-before a write of another thread, so is
    /// every earlier read of that location by the same thread (this is how the model forbids CoRR in <c>ob</c>).
    /// </summary>
    private static void AddHazardOrder(ExecutionGraph g, OrderGraph o)
    {
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 0; i < g.Length(t); i++)
            {
                var r = g[t, i];
                if (!r.IsRead || r.SameAddrReadsBefore.IsEmpty) continue;
                var rfIdx = RfCoIndex(g, t, i);
                if (rfIdx is null) continue;
                var co = g.Co(r.Address);
                for (var k = rfIdx.Value + 1; k < co.Count; k++)
                {
                    if (ExecutionGraph.ThreadOf(co[k]) == t) continue;
                    o.AddAll(r.SameAddrReadsBefore, t, o.Global(co[k]));
                }
            }
        }
    }

    /// <summary>
    /// Instruction fetch (<c>Variant=Ifetch</c>; the ARM ARM's "concurrent modification and execution of
    /// instructions"): a fetch may read an instruction older than a write of that location, and that is ordered
    /// against nothing, until the writing CPU has done <c>DC CVAU</c>, a <c>DSB</c>, <c>IC IVAU</c> of the location
    /// and a <c>DSB</c> after the write. From that last DSB on, the new instruction is what every fetch must see:
    /// a fetch that reads an older one is ordered before that DSB (and so before everything the DSB orders).
    /// </summary>
    private static void AddFetchOrder(ExecutionGraph g, OrderGraph o)
    {
        for (var u = 0; u < g.ThreadCount; u++)
        {
            for (var i = 0; i < g.Length(u); i++)
            {
                var f = g[u, i];
                if (!f.IsRead || !f.Has(EventFlags.InstructionFetch)) continue;
                var rfIdx = RfCoIndex(g, u, i);
                if (rfIdx is null) continue;
                var co = g.Co(f.Address);
                for (var k = rfIdx.Value + 1; k < co.Count; k++)
                {
                    var w = co[k];
                    var t = ExecutionGraph.ThreadOf(w);
                    if (t == u) continue;
                    var done = MaintenanceComplete(g, t, ExecutionGraph.IndexOf(w), f.Address);
                    if (done >= 0) o.Add(o.Global(u, i), o.Global(t, done));
                }
            }
        }
    }

    /// <summary>The DSB that completes <c>DC CVAU; DSB; IC IVAU; DSB</c> of <paramref name="address"/> after event <paramref name="from"/>, or -1.</summary>
    private static int MaintenanceComplete(ExecutionGraph g, int t, int from, ulong address)
    {
        var step = 0;
        for (var k = from + 1; k < g.Length(t); k++)
        {
            var e = g[t, k];
            if (e.Kind != EventKind.Fence) continue;
            var dsb = e.Barrier == BarrierKind.DsbFull;
            switch (step)
            {
                case 0 when e.Barrier == BarrierKind.DcCvau && e.Address == address:
                case 1 when dsb:
                case 2 when e.Barrier == BarrierKind.IcIvau && e.Address == address:
                    step++;
                    break;
                case 3 when e.Barrier == BarrierKind.DsbFull:
                    return k;
            }
        }
        return -1;
    }
}
