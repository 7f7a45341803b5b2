namespace PtGuard.Runtime.Memory;

internal sealed partial class Run
{
    /// <summary>Every thread has finished or blocked: decide what this graph is.</summary>
    private void Complete()
    {
        if (Graph.PendingViolation is { } pending)
        {
            // The violation is real if the promises it saw can be kept by writes in the graph.
            var open = PromisedReads(Graph);
            var kept = open.Count == 0 ? Graph : MatchPromises(Graph, open).FirstOrDefault();
            if (kept is not null) Report(pending, kept);
            return;
        }
        var blocked = new List<int>();
        for (var t = 0; t < Graph.ThreadCount; t++)
        {
            if (Graph.Status(t) == ThreadStatus.Blocked) blocked.Add(t);
        }
        if (blocked.Count > 0)
        {
            // A thread blocked on a value that is not the latest in coherence would have seen the later
            // write in another execution; only a wait on the latest value is a real deadlock.
            if (blocked.All(ReadsLatest))
            {
                var execution = new Execution(this, Graph);
                var why = Program.DescribeDeadlock?.Invoke(execution, blocked)
                    ?? string.Join("; ", blocked.Select(t => $"{Program.CpuName(t)} waits at {Graph[t, Graph.Length(t) - 1].Describe()}"));
                Report(new Violation(ViolationKinds.Deadlock, blocked[0], Graph[blocked[0], Graph.Length(blocked[0]) - 1].Address,
                    "deadlock: every CPU that has not finished is blocked: " + why), Graph);
            }
            else
            {
                Blocked++;
            }
            return;
        }

        var promised = PromisedReads(Graph);
        if (promised.Count == 0)
        {
            Accept(Graph);
            return;
        }
        foreach (var matched in MatchPromises(Graph, promised))
        {
            Accept(matched);
            if (Done) return;
        }
    }

    private bool ReadsLatest(int t)
    {
        var i = Graph.Length(t) - 1;
        var e = Graph[t, i];
        var co = Graph.Co(e.Address);
        var src = Graph.RfOf(t, i);
        return co.Count == 0 ? src == ExecutionGraph.Init : src == co[^1];
    }

    private void Accept(ExecutionGraph g)
    {
        Executions++;
        _distinct.Add(Hash(g));
        var execution = new Execution(this, g);
        if (_written is not null) RecordWritten(g);
        if (_buffered is not null) _buffered.Add(execution);
        else OnExecution?.Invoke(execution);
        if (Program.FinalCheck?.Invoke(execution) is { } violation) Report(violation, g);
    }

    private void RecordWritten(ExecutionGraph g)
    {
        foreach (var addr in g.Locations)
        {
            if (!_written!.TryGetValue(addr, out var set)) _written[addr] = set = new HashSet<ulong> { g.Memory.Read(addr) };
            foreach (var w in g.Co(addr)) set.Add(g.Get(w).Value);
        }
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 0; i < g.Length(t); i++)
            {
                var e = g[t, i];
                if (e.IsRead && !_written!.ContainsKey(e.Address)) _written[e.Address] = new HashSet<ulong> { g.Memory.Read(e.Address) };
            }
        }
    }

    private static List<(int Thread, int Index)> PromisedReads(ExecutionGraph g)
    {
        var list = new List<(int, int)>();
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 0; i < g.Length(t); i++)
            {
                if (g[t, i].IsRead && g.RfOf(t, i) == ExecutionGraph.PromiseSource) list.Add((t, i));
            }
        }
        return list;
    }

    /// <summary>
    /// Matches each promised read with a write of its value. Canonical form: a read is promised exactly when it
    /// reads from a write in its own <c>porf</c>-future (a load-buffering cycle); every other read got its source
    /// from the ordinary exploration. Matchings that break this are visited along another path and are skipped.
    /// </summary>
    private IEnumerable<ExecutionGraph> MatchPromises(ExecutionGraph g, List<(int Thread, int Index)> promised)
    {
        var candidates = promised.Select(p =>
        {
            var e = g[p.Thread, p.Index];
            var v = g.PromisedValue(p.Thread, p.Index);
            // A local write is a candidate too: a read after a po-earlier local write lies on the load-buffering
            // cycle when the promised read before it does (LB with an rfi), and is canonical only if promised.
            return g.Co(e.Address).Where(w => g.Get(w).Value == v).ToArray();
        }).ToArray();
        if (candidates.Any(c => c.Length == 0)) yield break;
        var choice = new int[promised.Count];
        while (true)
        {
            var m = g.Clone();
            for (var k = 0; k < promised.Count; k++) m.SetRf(promised[k].Thread, promised[k].Index, candidates[k][choice[k]]);
            if (IsCanonical(m, promised) && Consistent(m)) yield return m;
            var d = 0;
            while (d < choice.Length && ++choice[d] == candidates[d].Length) choice[d++] = 0;
            if (d == choice.Length) yield break;
        }
    }

    private static bool IsCanonical(ExecutionGraph m, List<(int Thread, int Index)> promised)
    {
        for (var t = 0; t < m.ThreadCount; t++)
        {
            for (var i = 0; i < m.Length(t); i++)
            {
                if (!m[t, i].IsRead) continue;
                var src = m.RfOf(t, i);
                if (src < 0) continue;
                var cyclic = i <= PorfView(m, src)[t];
                var isPromised = promised.Contains((t, i));
                if (cyclic != isPromised) return false;
            }
        }
        return true;
    }

    /// <summary>A 128-bit fingerprint of reads-from and coherence, for counting distinct executions.</summary>
    private static UInt128 Hash(ExecutionGraph g)
    {
        var f = new Fingerprint();
        for (var t = 0; t < g.ThreadCount; t++)
        {
            f.Add(ulong.MaxValue - (ulong)t);
            for (var i = 0; i < g.Length(t); i++)
            {
                var e = g[t, i];
                f.Add(e.Address);
                if (!e.IsRead)
                {
                    f.Add(e.Value);
                    continue;
                }
                var src = g.RfOf(t, i);
                f.Add((ulong)(long)src);
                if (src == ExecutionGraph.PromiseSource) f.Add(g.PromisedValue(t, i));
            }
        }
        foreach (var addr in g.Locations.OrderBy(a => a))
        {
            f.Add(addr);
            foreach (var w in g.Co(addr)) f.Add((ulong)w);
        }
        return f.Value;
    }

    /// <summary>Two independent 64-bit mixes (splitmix64 finalizer) folded over the input words.</summary>
    private struct Fingerprint
    {
        private ulong _a;
        private ulong _b;

        public void Add(ulong x)
        {
            _a = Mix(_a ^ x) * 0x9E3779B97F4A7C15UL + 1;
            _b = Mix(_b + x * 0xC2B2AE3D27D4EB4FUL) ^ (_b >> 29);
        }

        public readonly UInt128 Value => new(_a, _b);

        private static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
