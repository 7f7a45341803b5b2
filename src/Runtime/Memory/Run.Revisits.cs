namespace PtGuard.Runtime.Memory;

internal sealed partial class Run
{
    /// <summary>
    /// The graphs in which an earlier read <c>r</c> of the same location reads the new write <paramref name="w"/>
    /// instead: everything added after <c>r</c> that is not in <paramref name="w"/>'s <c>porf</c>-prefix is deleted.
    /// </summary>
    private IEnumerable<ExecutionGraph> BackwardRevisits(ExecutionGraph g, int w)
    {
        var we = g.Get(w);
        var view = PorfView(g, w);
        var result = new List<ExecutionGraph>();
        foreach (var r in g.ReadsOf(we.Address))
        {
            var rt = ExecutionGraph.ThreadOf(r);
            var ri = ExecutionGraph.IndexOf(r);
            if (ri <= view[rt]) continue;
            if (g.RfOf(rt, ri) == ExecutionGraph.PromiseSource) continue;
            if (!IsMaximalExtension(g, r, w, view)) continue;
            var stamp = g.Stamp(r);
            var revisit = g.Clone();
            revisit.Restrict((t, i) => g.StampOf(t, i) <= stamp || i <= view[t]);
            revisit.SetRf(rt, ri, w);
            revisit.SetStatus(rt, ThreadStatus.Running);
            if (Consistent(revisit)) result.Add(revisit);
        }
        return result;
    }

    /// <summary>The <c>porf</c>-prefix of an event as the last included index per thread (prefixes are closed under po).</summary>
    internal static int[] PorfView(ExecutionGraph g, int id)
    {
        var view = new int[g.ThreadCount];
        var scanned = new int[g.ThreadCount];
        Array.Fill(view, -1);
        Array.Fill(scanned, -1);
        view[ExecutionGraph.ThreadOf(id)] = ExecutionGraph.IndexOf(id);
        bool changed;
        do
        {
            changed = false;
            for (var t = 0; t < g.ThreadCount; t++)
            {
                while (scanned[t] < view[t])
                {
                    var i = ++scanned[t];
                    if (!g[t, i].IsRead) continue;
                    var src = g.RfOf(t, i);
                    if (src < 0) continue;
                    var st = ExecutionGraph.ThreadOf(src);
                    var si = ExecutionGraph.IndexOf(src);
                    if (si > view[st])
                    {
                        view[st] = si;
                        changed = true;
                    }
                }
            }
        }
        while (changed);
        return view;
    }

    /// <summary>
    /// TruSt's condition: the revisit <c>r ← w</c> is taken only if <c>r</c> and every event it deletes were added
    /// maximally: each deleted or revisited read reads, and each deleted write is, the coherence-latest write among
    /// the events added before it together with <c>w</c>'s prefix; and <c>w</c>'s coherence successor survives.
    /// Any other deletion would rebuild a graph that another path of the exploration already reaches.
    /// </summary>
    private static bool IsMaximalExtension(ExecutionGraph g, int r, int w, int[] view)
    {
        var rStamp = g.Stamp(r);
        bool InPrefix(int id) => ExecutionGraph.IndexOf(id) <= view[ExecutionGraph.ThreadOf(id)];
        bool Deleted(int id) => g.Stamp(id) > rStamp && !InPrefix(id);

        var we = g.Get(w);
        if (!we.Has(EventFlags.RmwWrite))
        {
            var co = g.Co(we.Address);
            var k = IndexOf(co, w);
            if (k + 1 < co.Count && Deleted(co[k + 1])) return false;
        }

        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 0; i < g.Length(t); i++)
            {
                var id = ExecutionGraph.Id(t, i);
                if (id != r && !Deleted(id)) continue;
                var e = g[t, i];
                if (!e.IsMemory) continue;
                var eStamp = g.Stamp(id);
                bool Previous(int x) => x == ExecutionGraph.Init || g.Stamp(x) <= eStamp || (x != w && InPrefix(x));

                int source;
                if (e.IsWrite)
                {
                    foreach (var x in g.ReadsOf(e.Address))
                    {
                        if (g.RfOf(ExecutionGraph.ThreadOf(x), ExecutionGraph.IndexOf(x)) == id && Previous(x)) return false;
                    }
                    source = id;
                }
                else
                {
                    source = g.RfOf(t, i);
                    if (source == ExecutionGraph.PromiseSource) return false;
                    if (!Previous(source)) return false;
                }
                var order = g.Co(e.Address);
                var start = source == ExecutionGraph.Init ? 0 : IndexOf(order, source) + 1;
                for (var k = start; k < order.Count; k++)
                {
                    if (Previous(order[k])) return false;
                }
            }
        }
        return true;
    }

    private static int IndexOf(IReadOnlyList<int> co, int id)
    {
        for (var k = 0; k < co.Count; k++)
        {
            if (co[k] == id) return k;
        }
        return -1;
    }
}
