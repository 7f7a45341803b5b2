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
        AddCommunication(g, o, externalOnly: true, immediateOnly: false);
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
}
