namespace PtGuard.Runtime.Memory;

/// <summary>
/// ARMv8 locally-ordered-before (<c>lob</c>) for a new event, from the events its thread issued before it.
/// Computed once when the event is created; events never change, so it stays valid in every graph.
/// <para>Sources, all from <c>aarch64hwreqs.cat</c> / <c>aarch64deps.cat</c>:</para>
/// <list type="bullet">
/// <item><c>dob</c>: <c>addr</c>, <c>data</c>, <c>ctrl;[W]</c>, <c>(ctrl | addr;po);[ISB];po;[R]</c>,
/// <c>addr;po;[W]</c>, <c>(addr|data);lrs</c>;</item>
/// <item><c>aob</c>: <c>rmw</c>, <c>rmw;lrs;[A|Q]</c>;</item>
/// <item><c>bob</c>: full barriers both ways, <c>[R];po;[dmb.ld];po</c>, <c>[W];po;[dmb.st];po;[W]</c>, the DSB forms
/// (which order everything after them), <c>[L];po;[A]</c>, <c>[A|Q];po</c>, <c>po;[L]</c>, an acquire-release RMW's
/// write before everything after; <c>[ISB];po</c> and reads with a control dependency into an ISB;</item>
/// <item><c>lws</c>: an access before a later write to the same location.</item>
/// </list>
/// Barriers are nodes of their own: everything the barrier orders before it is its predecessor, and it is a
/// predecessor of what it orders after it, which keeps the relation small and transitive through the barrier.
/// </summary>
internal static class LocalOrder
{
    public static DepSet Compute(IReadOnlyList<Event> before, Event e)
    {
        var direct = DepSet.Empty;
        var index = before.Count;
        if (e.Has(EventFlags.InstructionFetch))
        {
            // An instruction fetch is ordered only by context synchronization: [ISB]; po; [fetch].
            for (var k = index - 1; k >= 0; k--)
            {
                if (before[k].Kind == EventKind.Fence && before[k].Barrier == BarrierKind.Isb) return DepSet.Of(k).Union(before[k].LobPreds);
            }
            return DepSet.Empty;
        }
        direct = direct.Union(e.AddrDeps);
        if (e.IsWrite)
        {
            direct = direct.Union(e.DataDeps).Union(e.CtrlDeps);
        }
        if (e.Kind == EventKind.Fence && e.Barrier == BarrierKind.Isb)
        {
            direct = direct.Union(e.CtrlDeps);
        }

        for (var k = 0; k < index; k++)
        {
            var p = before[k];
            if (Orders(p, k, e, before)) direct = direct.Union(DepSet.Of(k));
        }

        // addr;po;[W]: a read that fed an address orders every later write.
        if (e.IsWrite)
        {
            for (var k = 0; k < index; k++) direct = direct.Union(before[k].AddrDeps);
        }

        if (e.IsRead)
        {
            for (var k = 0; k < index; k++)
            {
                var p = before[k];
                if (p.Kind == EventKind.Fence && p.Barrier == BarrierKind.Isb)
                {
                    // (addr;po);[ISB];po;[R]
                    for (var m = 0; m < k; m++) direct = direct.Union(before[m].AddrDeps);
                }
            }
            var lrs = LocalWriteBefore(before, e.Address);
            if (lrs >= 0)
            {
                var w = before[lrs];
                // (addr|data);lrs
                direct = direct.Union(w.AddrDeps).Union(w.DataDeps);
                // rmw;lrs;[A|Q]
                if (w.Has(EventFlags.RmwWrite) && (e.Has(EventFlags.Acquire) || e.Has(EventFlags.AcquirePC)))
                {
                    direct = direct.Union(DepSet.Of(lrs - 1));
                }
            }
        }

        var closed = direct;
        foreach (var d in direct) closed = closed.Union(before[d].LobPreds);
        return closed;
    }

    /// <summary>Whether the earlier event <paramref name="p"/> (index <paramref name="k"/>) is directly ordered before <paramref name="e"/>.</summary>
    private static bool Orders(Event p, int k, Event e, IReadOnlyList<Event> before)
    {
        // Instruction fetches and cache maintenance take no part in the data accesses' local order.
        if (p.Has(EventFlags.InstructionFetch) || IsCacheMaintenance(p) || IsCacheMaintenance(e)) return false;
        // Barriers and acquires order what follows them.
        if (p.Kind == EventKind.Fence)
        {
            return p.Barrier switch
            {
                BarrierKind.DmbSt => e.IsWrite,
                BarrierKind.Isb => true,
                _ => true,
            };
        }
        if (e.Kind == EventKind.Fence)
        {
            return e.Barrier switch
            {
                BarrierKind.DmbFull => true,
                BarrierKind.DsbFull => p.IsMemory,
                BarrierKind.DmbLd or BarrierKind.DsbLd => p.IsRead && !p.Has(EventFlags.NoRet),
                BarrierKind.DmbSt or BarrierKind.DsbSt => p.IsWrite,
                _ => false,
            };
        }
        if (p.IsRead && (p.Has(EventFlags.Acquire) || p.Has(EventFlags.AcquirePC))) return true;
        if (e.IsWrite && e.Has(EventFlags.Release)) return true;
        if (p.IsWrite && p.Has(EventFlags.Release) && e.IsRead && e.Has(EventFlags.Acquire)) return true;
        if (p.IsWrite && p.Has(EventFlags.RmwWrite) && p.Has(EventFlags.Release) && k > 0
            && before[k - 1].Has(EventFlags.Acquire)) return true;
        if (e.IsWrite && p.IsMemory && p.Address == e.Address) return true;
        if (e.IsWrite && e.Has(EventFlags.RmwWrite) && k == e.Index - 1) return true;
        return false;
    }

    private static bool IsCacheMaintenance(Event e) => e.Kind == EventKind.Fence && e.Barrier is BarrierKind.DcCvau or BarrierKind.IcIvau;

    /// <summary>The last earlier write of the thread to <paramref name="address"/> (the source of <c>lrs</c>), or -1.</summary>
    private static int LocalWriteBefore(IReadOnlyList<Event> before, ulong address)
    {
        for (var k = before.Count - 1; k >= 0; k--)
        {
            if (before[k].IsWrite && before[k].Address == address) return k;
        }
        return -1;
    }
}
