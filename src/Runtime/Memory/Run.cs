using System.Diagnostics;

namespace PtGuard.Runtime.Memory;

/// <summary>
/// One exploration. Execution graphs are built one event at a time, each thread run to completion in turn
/// (left-to-right scheduling, as GenMC), and every choice a new event opens is either taken in place or
/// saved as a separate graph to visit later:
/// <list type="bullet">
/// <item>a new read may read from any write of its location already in the graph (forward revisits);</item>
/// <item>a new write may take any place in coherence, and may be read by any earlier read outside its
/// <c>porf</c>-prefix (backward revisits), which cuts the graph back to what that read's value can not change;</item>
/// <item>a backward revisit happens only if everything it deletes was added "maximally" (TruSt, POPL'22), which
/// makes every consistent graph reachable along exactly one path: no execution is visited twice.</item>
/// </list>
/// Threads are plain C# methods re-run from the start on each graph, answering their loads from the graph,
/// so only a blocked or abandoned thread needs an exception to unwind.
/// </summary>
internal sealed partial class Run
{
    private readonly Stack<ExecutionGraph> _work = new();
    private readonly HashSet<UInt128> _distinct = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Random? _random;
    private Dictionary<ulong, ulong[]>? _promises;
    private Dictionary<ulong, HashSet<ulong>>? _written;

    public Run(ConcurrentProgram program, ExploreOptions options)
    {
        Program = program;
        Options = options;
        Model = options.Model;
        Checker = ConsistencyModel.For(options.Model);
        Graph = new ExecutionGraph(program.Threads.Count, program.Memory);
        if (options.Strategy == Strategy.Random) _random = new Random(options.Seed);
    }

    public ConcurrentProgram Program { get; }
    public ExploreOptions Options { get; }
    public MemoryModel Model { get; }
    public ConsistencyModel Checker { get; }
    public ExecutionGraph Graph { get; private set; }

    public long Executions { get; private set; }
    public long Blocked { get; private set; }
    public long Events { get; private set; }
    public long Distinct => _distinct.Count;
    public Violation? Found { get; private set; }
    public ExecutionGraph? WitnessGraph { get; private set; }
    public string? StoppedBy { get; private set; }

    /// <summary>Called for every complete execution (litmus tests collect outcomes here).</summary>
    public Action<Execution>? OnExecution { get; set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    private bool Exhaustive => Options.Strategy == Strategy.Exhaustive;

    private bool Done => (Found is not null && !Options.ContinueAfterViolation) || StoppedBy is not null;

    public void ExploreAll()
    {
        var lb = Options.LoadBuffering && Model == MemoryModel.Arm64;
        if (!lb)
        {
            ExploreRound();
            return;
        }
        // Load buffering: a read may promise a value that a write added later (and depending on the read)
        // will provide. The values worth promising are those some execution writes; find them by rounds
        // until no new value appears, and count only the final round.
        // The callback sees only the final round's executions (earlier rounds visit a subset of them again).
        _written = new Dictionary<ulong, HashSet<ulong>>();
        _buffered = new List<Execution>();
        ExploreRound();
        for (var round = 0; round < 6 && !Done; round++)
        {
            var candidates = _written.ToDictionary(kv => kv.Key, kv => kv.Value.OrderBy(v => v).ToArray());
            if (_promises is not null && SameCandidates(_promises, candidates)) break;
            _promises = candidates;
            ResetCounters();
            _buffered.Clear();
            ExploreRound();
        }
        var final = _buffered;
        _buffered = null;
        foreach (var e in final) OnExecution?.Invoke(e);
    }

    private List<Execution>? _buffered;

    public void ReplayGraph(ExecutionGraph g)
    {
        Graph = g;
        Extend();
    }

    private void ExploreRound()
    {
        var runs = Options.Strategy == Strategy.Random ? Options.RandomExecutions : 1;
        for (var i = 0; i < runs && !Done; i++)
        {
            _work.Push(new ExecutionGraph(Program.Threads.Count, Program.Memory));
            while (_work.Count > 0 && !Done)
            {
                if (OverBudget()) return;
                Graph = _work.Pop();
                Extend();
            }
        }
    }

    private void ResetCounters()
    {
        Executions = 0;
        Blocked = 0;
        _distinct.Clear();
    }

    private static bool SameCandidates(Dictionary<ulong, ulong[]> a, Dictionary<ulong, ulong[]> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v.SequenceEqual(kv.Value));

    private bool OverBudget()
    {
        if (Options.MaxExecutions is { } max && Executions + Blocked >= max)
        {
            StoppedBy = $"--max-executions {max}";
            return true;
        }
        if (Options.Timeout is { } limit && _clock.Elapsed > limit)
        {
            StoppedBy = $"--timeout {limit.TotalSeconds:0.###}s";
            return true;
        }
        return false;
    }

    /// <summary>Runs every unfinished thread of <see cref="Graph"/> to its end (or until it blocks), left to right.</summary>
    private void Extend()
    {
        while (true)
        {
            var restart = false;
            for (var t = 0; t < Program.Threads.Count; t++)
            {
                if (Graph.Status(t) != ThreadStatus.Running) continue;
                var outcome = RunThread(t);
                if (outcome == StopReason.Restart) { restart = true; break; }
                if (outcome is StopReason.Discard or StopReason.Violation or StopReason.Bound) return;
            }
            if (!restart) break;
        }
        Complete();
    }

    private StopReason? RunThread(int t)
    {
        var cpu = new Cpu(this, t);
        var previous = Cpu.Enter(cpu);
        try
        {
            Program.Threads[t]();
            cpu.Finish();
            return null;
        }
        catch (ThreadStop stop)
        {
            return Stopped(stop);
        }
        catch (PtGuardException ex)
        {
            return Stopped(new ThreadStop(StopReason.Violation, new Violation(ex.ViolationKind ?? ViolationKinds.ApiMisuse, t, null, ex.Message)));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var where = ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim();
            return Stopped(new ThreadStop(StopReason.Violation, new Violation(ViolationKinds.ScenarioException, t, null,
                $"{Program.CpuName(t)} threw {ex.GetType().Name}: {ex.Message}{(where is null ? "" : " (" + where + ")")}")));
        }
        finally
        {
            Cpu.Enter(previous);
        }
    }

    private StopReason? Stopped(ThreadStop stop)
    {
        if (stop.Reason == StopReason.Violation && stop.Violation is not null && _promises is not null && PromisedReads(Graph).Count > 0)
        {
            // A value this CPU saw may be a promise no write will keep: let the other CPUs run, and report the
            // violation only if the promises can be matched (Complete).
            Graph.PendingViolation ??= stop.Violation;
            Graph.SetStatus(stop.Violation.Cpu, ThreadStatus.Failed);
            return null;
        }
        if (stop.Reason == StopReason.Violation && stop.Violation is not null) Report(stop.Violation, Graph);
        if (stop.Reason == StopReason.Bound) StoppedBy ??= $"a thread exceeded {Options.MaxEventsPerThread} events (a spin loop?)";
        return stop.Reason;
    }

    private void Report(Violation v, ExecutionGraph g)
    {
        if (Found is not null) return;
        Found = v;
        WitnessGraph = g.Clone();
    }

    private bool Consistent(ExecutionGraph g) => Checker.IsConsistent(g);

    /// <summary>A new read: every write it may read from, and (with load buffering) every value it may promise.</summary>
    public ulong AddRead(Cpu cpu, Event e, Func<ulong, bool>? ready = null)
    {
        GuardLength(cpu);
        var g = Graph;
        var id = g.Append(e);
        Events++;
        var t = cpu.Id;
        var i = ExecutionGraph.IndexOf(id);
        var options = new List<(int Source, ulong Value)>();
        var co = g.Co(e.Address);
        for (var k = co.Count - 1; k >= -1; k--)
        {
            var src = k < 0 ? ExecutionGraph.Init : co[k];
            // A waiting read that sees an older value it cannot proceed on is a dead end: it blocks, it is not the
            // latest value (so no deadlock), and not being maximal it is never revisited. Only the latest is kept.
            if (ready is not null && k != co.Count - 1 && !ready(src == ExecutionGraph.Init ? g.Memory.Read(e.Address) : g.Get(src).Value)) continue;
            g.SetRf(t, i, src);
            // Reading the coherence-latest write gives the new read only incoming edges (nothing is
            // coherence-after its source), so it cannot close a cycle in a graph that had none (but see AddWrite
            // for CPUs that translate).
            if ((k == co.Count - 1 && !cpu.Translates) || Consistent(g)) options.Add((src, 0));
        }
        if (_promises is not null && _promises.TryGetValue(e.Address, out var values))
        {
            foreach (var v in values)
            {
                if (ready is not null && !ready(v)) continue;
                g.SetRf(t, i, ExecutionGraph.PromiseSource, v);
                if (Consistent(g)) options.Add((ExecutionGraph.PromiseSource, v));
            }
        }
        if (options.Count == 0) throw new ThreadStop(StopReason.Discard, null);
        var chosen = 0;
        if (Exhaustive)
        {
            for (var k = options.Count - 1; k >= 1; k--)
            {
                var alt = g.Clone();
                alt.SetRf(t, i, options[k].Source, options[k].Value);
                _work.Push(alt);
            }
        }
        else if (_random is not null)
        {
            chosen = _random.Next(options.Count);
        }
        g.SetRf(t, i, options[chosen].Source, options[chosen].Value);
        return g.ReadValue(t, i);
    }

    /// <summary>A new write: every place in coherence, and every earlier read that may be revisited to read it.</summary>
    public void AddWrite(Cpu cpu, Event e)
    {
        GuardLength(cpu);
        var g = Graph;
        var w = g.Append(e);
        Events++;
        var co = g.Co(e.Address);
        var existing = co.Count;
        var places = new List<int>();
        if (e.Has(EventFlags.RmwWrite))
        {
            var src = g.RfOf(cpu.Id, e.Index - 1);
            places.Add(src switch
            {
                ExecutionGraph.Init => 0,
                ExecutionGraph.PromiseSource => existing,
                _ => IndexIn(co, src) + 1,
            });
        }
        else
        {
            for (var p = existing; p >= 0; p--) places.Add(p);
        }

        var ok = new List<int>();
        foreach (var p in places)
        {
            g.InsertCo(w, p);
            // A write placed last in coherence, with no read of it yet, has only incoming edges. A CPU that
            // translates is the exception: the TLBI rule orders what depends on a stale translation before a
            // DSB or an invalidation that may already be in the graph.
            if ((p == existing && !cpu.Translates) || Consistent(g)) ok.Add(p);
            g.RemoveCo(w);
        }

        if (Exhaustive)
        {
            // Revisits are taken from every placement, consistent or not: an RMW whose write lands where another
            // RMW's already is makes this graph inconsistent, yet revisiting that other RMW's read is an execution.
            foreach (var p in places)
            {
                if (ok.Count > 0 && p == ok[0]) continue;
                var alt = g.Clone();
                alt.InsertCo(w, p);
                PushRevisits(alt, w);
                if (ok.Contains(p)) _work.Push(alt);
            }
            if (ok.Count == 0) throw new ThreadStop(StopReason.Discard, null);
            g.InsertCo(w, ok[0]);
            PushRevisits(g, w);
            return;
        }

        // Random walk: one choice among every consistent placement and every revisit.
        var choices = new List<(ExecutionGraph Graph, bool Placement)>();
        foreach (var p in places)
        {
            var alt = g.Clone();
            alt.InsertCo(w, p);
            if (ok.Contains(p)) choices.Add((alt, true));
            foreach (var r in BackwardRevisits(alt, w)) choices.Add((r, false));
        }
        if (choices.Count == 0) throw new ThreadStop(StopReason.Discard, null);
        var pick = choices[_random!.Next(choices.Count)];
        Graph = pick.Graph;
        // A placement keeps this thread running on the chosen graph; a revisit starts the threads again.
        if (!pick.Placement) throw new ThreadStop(StopReason.Restart, null);
    }

    /// <summary>
    /// A barrier or TLBI: adds no choice. A barrier only has edges into it, so it cannot close a cycle; a TLBI
    /// can order existing events (a stale walk-cache fill before the invalidation), so it is checked.
    /// </summary>
    public void AddOther(Cpu cpu, Event e)
    {
        GuardLength(cpu);
        Graph.Append(e);
        Events++;
        if (e.Kind == EventKind.Tlbi && !Consistent(Graph)) throw new ThreadStop(StopReason.Discard, null);
    }

    private void GuardLength(Cpu cpu)
    {
        if (cpu.NextIndex >= Options.MaxEventsPerThread) throw new ThreadStop(StopReason.Bound, null);
    }

    private void PushRevisits(ExecutionGraph g, int w)
    {
        foreach (var r in BackwardRevisits(g, w)) _work.Push(r);
    }

    private static int IndexIn(IReadOnlyList<int> co, int id)
    {
        for (var k = 0; k < co.Count; k++)
        {
            if (co[k] == id) return k;
        }
        return -1;
    }
}
