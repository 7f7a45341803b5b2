using System.Globalization;

namespace PtGuard.Runtime.Memory;

/// <summary>Converts between execution graphs and witnesses.</summary>
internal static class WitnessBuilder
{
    public static Witness From(ConcurrentProgram program, MemoryModel model, ExecutionGraph g, Violation? violation)
    {
        var events = new List<WitnessEvent>();
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 0; i < g.Length(t); i++)
            {
                var e = g[t, i];
                events.Add(new WitnessEvent
                {
                    Cpu = t,
                    Index = i,
                    Kind = e.Kind,
                    Flags = Enum.GetValues<EventFlags>().Where(f => f != EventFlags.None && e.Has(f)).Select(f => f.ToString()).ToArray(),
                    Barrier = e.Kind == EventKind.Fence ? e.Barrier : null,
                    Scope = e.Kind == EventKind.Tlbi ? e.Scope : null,
                    Address = e.Address,
                    Location = e.IsMemory || (e.Kind == EventKind.Fence && e.Barrier is BarrierKind.DcCvau or BarrierKind.IcIvau) ? g.Memory.NameOf(e.Address) : null,
                    Value = e.IsRead ? g.ReadValue(t, i) : e.Value,
                    ReadsFrom = e.IsRead ? SourceRef(g.RfOf(t, i)) : null,
                    Label = e.Label,
                    AddrDeps = ToList(e.AddrDeps),
                    DataDeps = ToList(e.DataDeps),
                    CtrlDeps = ToList(e.CtrlDeps),
                    Covers = e.Covers,
                    Tag = e.Tag,
                    Stamp = g.StampOf(t, i),
                });
            }
        }
        var locations = g.Locations.OrderBy(a => a).Select(a => new WitnessLocation
        {
            Address = a,
            Name = g.Memory.NameOf(a),
            Coherence = g.Co(a).Select(SourceRef).ToArray(),
            Initial = g.Memory.Read(a),
            Final = g.FinalValue(a),
        }).ToArray();
        return new Witness
        {
            Program = program.Name,
            Model = model == MemoryModel.Arm64 ? "arm64" : "sc",
            Cpus = Enumerable.Range(0, g.ThreadCount).Select(program.CpuName).ToArray(),
            Events = events,
            Locations = locations,
            Violation = violation,
        };
    }

    /// <summary>Rebuilds the graph a witness records, recomputing local order for the model.</summary>
    public static ExecutionGraph ToGraph(Witness w, ConcurrentProgram program, MemoryModel model)
    {
        var g = new ExecutionGraph(program.Threads.Count, program.Memory);
        var byCpu = w.Events.GroupBy(e => e.Cpu).ToDictionary(x => x.Key, x => x.OrderBy(e => e.Index).ToList());
        // Append in stamp order so that stamps (addition order) are preserved.
        foreach (var we in w.Events.OrderBy(e => e.Stamp))
        {
            if (we.Cpu < 0 || we.Cpu >= g.ThreadCount) throw new PtGuardException($"witness: event {we.Ref} names CPU {we.Cpu}, but '{program.Name}' has {g.ThreadCount} CPUs.");
            if (we.Index != g.Length(we.Cpu)) throw new PtGuardException($"witness: event {we.Ref} is out of program order.");
            var flags = we.Flags.Aggregate(EventFlags.None, (acc, f) => acc | Enum.Parse<EventFlags>(f));
            var e = new Event
            {
                Kind = we.Kind,
                Flags = flags,
                Barrier = we.Barrier ?? default,
                Scope = we.Scope ?? default,
                Thread = we.Cpu,
                Index = we.Index,
                Address = we.Address,
                Value = we.Kind == EventKind.Write ? we.Value : 0,
                AddrDeps = ToSet(we.AddrDeps),
                DataDeps = ToSet(we.DataDeps),
                CtrlDeps = ToSet(we.CtrlDeps),
                SameAddrReadsBefore = ToSet(byCpu[we.Cpu].Where(p => p.Index < we.Index && p.Kind == EventKind.Read && !p.Has("InstructionFetch") && !we.Has("InstructionFetch") && p.Address == we.Address && we.Kind is EventKind.Read or EventKind.Write).Select(p => p.Index)),
                SameAddrWritesBefore = ToSet(byCpu[we.Cpu].Where(p => p.Index < we.Index && p.Kind == EventKind.Write && !we.Has("InstructionFetch") && p.Address == we.Address && we.Kind is EventKind.Read or EventKind.Write).Select(p => p.Index)),
                Covers = we.Covers.ToArray(),
                Label = we.Label,
                Tag = we.Tag,
            };
            if (model == MemoryModel.Arm64) e.LobPreds = LocalOrder.Compute(g.ThreadEvents(we.Cpu), e);
            g.Append(e);
        }
        foreach (var we in w.Events.Where(e => e.Kind == EventKind.Read))
        {
            var src = ParseRef(we.ReadsFrom);
            g.SetRf(we.Cpu, we.Index, src, src == ExecutionGraph.PromiseSource ? we.Value : 0);
        }
        foreach (var loc in w.Locations)
        {
            var pos = 0;
            foreach (var r in loc.Coherence) g.InsertCo(ParseRef(r), pos++);
        }
        foreach (var cpu in Enumerable.Range(0, g.ThreadCount))
        {
            // A witness of a violation may end mid-thread; the replay runs each thread again from the start.
            g.SetStatus(cpu, ThreadStatus.Running);
        }
        return g;
    }

    private static string SourceRef(int id) => id switch
    {
        ExecutionGraph.Init => "init",
        ExecutionGraph.PromiseSource => "promise",
        _ => $"{ExecutionGraph.ThreadOf(id)}:{ExecutionGraph.IndexOf(id)}",
    };

    private static int ParseRef(string? text)
    {
        if (text is null or "init") return ExecutionGraph.Init;
        if (text == "promise") return ExecutionGraph.PromiseSource;
        var parts = text.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var c)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var i))
        {
            throw new PtGuardException($"witness: '{text}' is not an event reference (expected 'cpu:index', 'init' or 'promise').");
        }
        return ExecutionGraph.Id(c, i);
    }

    private static int[] ToList(DepSet d)
    {
        var list = new List<int>();
        foreach (var i in d) list.Add(i);
        return list.ToArray();
    }

    private static DepSet ToSet(IEnumerable<int> items)
    {
        var d = DepSet.Empty;
        foreach (var i in items) d = d.Union(DepSet.Of(i));
        return d;
    }
}
