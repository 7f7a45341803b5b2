using System.Globalization;
using System.Text;

namespace PtGuard.Runtime.Memory;

/// <summary>
/// A witness as a timeline a person can follow: one lane per CPU, events in an order consistent with
/// program order and reads-from, each read marked with the write it read from, the offending access marked.
/// </summary>
public static class WitnessText
{
    private const int MaxLaneWidth = 80;

    [ThreadStatic]
    private static int _laneWidth;

    private static int LaneWidth => _laneWidth == 0 ? MaxLaneWidth : _laneWidth;

    /// <summary>Renders <paramref name="w"/> as text lanes.</summary>
    public static string Render(Witness w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var sb = new StringBuilder();
        var title = w.Violation is null ? "execution" : w.Violation.Kind;
        sb.Append(CultureInfo.InvariantCulture, $"Witness: {w.Program} on {w.Model}: {title}\n");
        if (w.Violation is not null) sb.Append("  ").Append(w.Violation.Message).Append('\n');
        sb.Append('\n');

        var lanes = w.Cpus.Count;
        var offending = Offending(w);
        var widest = w.Events.Select(e => Describe(w, e).Length + (offending.Contains(e.Ref) ? 20 : 0)).Append(w.Cpus.Max(c => c.Length)).Max();
        _laneWidth = Math.Min(MaxLaneWidth, widest);
        sb.Append(string.Join(" | ", w.Cpus.Select(c => Pad(c)))).Append('\n');
        sb.Append(string.Join("-+-", w.Cpus.Select(_ => new string('-', LaneWidth)))).Append('\n');
        foreach (var e in Linearize(w))
        {
            var cells = new string[lanes];
            for (var c = 0; c < lanes; c++) cells[c] = Pad("");
            var text = Describe(w, e);
            if (offending.Contains(e.Ref)) text += "   <== " + (w.Violation?.Kind ?? "here");
            var wrapped = Wrap(text);
            for (var line = 0; line < wrapped.Count; line++)
            {
                for (var c = 0; c < lanes; c++) cells[c] = c == e.Cpu ? Pad(wrapped[line]) : Pad("");
                sb.Append(string.Join(" | ", cells).TrimEnd()).Append('\n');
            }
        }

        var shared = w.Locations.Where(l => l.Coherence.Count > 1).ToList();
        if (shared.Count > 0)
        {
            sb.Append("\nCoherence (write order per location):\n");
            foreach (var l in shared)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  {l.Name ?? $"0x{l.Address:x}"}: init 0x{l.Initial:x}");
                foreach (var r in l.Coherence)
                {
                    var ev = w.Events.First(x => x.Ref == r);
                    sb.Append(CultureInfo.InvariantCulture, $" -> CPU {ev.Cpu} #{ev.Index} 0x{ev.Value:x}");
                }
                sb.Append('\n');
            }
        }
        sb.Append("\nLegend: R read, W write; '<- CPU n #i' is the write a read took its value from ('init': the initial value);\n");
        sb.Append("'missed' names a write of another CPU that comes later in coherence: it was not yet visible to the read.\n");
        return sb.ToString();
    }

    /// <summary>One event as a lane cell.</summary>
    public static string Describe(Witness w, WitnessEvent e)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(e);
        var what = e.Label ?? e.Location ?? $"0x{e.Address:x}";
        var mods = string.Join("", e.Flags.Where(f => f is "Acquire" or "AcquirePC" or "Release").Select(f => f switch
        {
            "Acquire" => ".acq",
            "AcquirePC" => ".acqpc",
            _ => ".rel",
        }));
        return e.Kind switch
        {
            EventKind.Read when e.Has("InstructionFetch") => $"#{e.Index} Fetch {what} = 0x{e.Value:x} <- {Source(w, e.ReadsFrom)}",
            EventKind.Read => $"#{e.Index} R{mods} {what} = 0x{e.Value:x} <- {Source(w, e.ReadsFrom)}{Missed(w, e)}",
            EventKind.Write => $"#{e.Index} W{mods} {what} := 0x{e.Value:x}",
            EventKind.Fence when e.Barrier is BarrierKind.DcCvau or BarrierKind.IcIvau => $"#{e.Index} {BarrierName(e.Barrier)}, {what}",
            EventKind.Fence => $"#{e.Index} {BarrierName(e.Barrier)}",
            _ => $"#{e.Index} {e.Label ?? $"TLBI 0x{e.Address:x}"}",
        };
    }

    /// <summary>The assembly spelling of a barrier.</summary>
    public static string BarrierName(BarrierKind? b) => b switch
    {
        BarrierKind.DmbFull => "DMB ISH",
        BarrierKind.DmbLd => "DMB ISHLD",
        BarrierKind.DmbSt => "DMB ISHST",
        BarrierKind.DsbFull => "DSB ISH",
        BarrierKind.DsbLd => "DSB ISHLD",
        BarrierKind.DsbSt => "DSB ISHST",
        BarrierKind.Isb => "ISB",
        BarrierKind.DcCvau => "DC CVAU",
        BarrierKind.IcIvau => "IC IVAU",
        _ => "barrier",
    };

    /// <summary>The events a violation points at: the last event of the violating CPU (every blocked CPU for a deadlock).</summary>
    internal static HashSet<string> Offending(Witness w)
    {
        var set = new HashSet<string>();
        if (w.Violation is null) return set;
        var cpus = w.Violation.Kind == ViolationKinds.Deadlock
            ? Enumerable.Range(0, w.Cpus.Count).Where(c => w.EventsOf(c).LastOrDefault()?.Has("Await") == true)
            : new[] { w.Violation.Cpu };
        foreach (var c in cpus)
        {
            var last = w.EventsOf(c).LastOrDefault();
            if (last is not null) set.Add(last.Ref);
        }
        return set;
    }

    /// <summary>An order of all events that respects program order and, where it can, reads-from; ties by the explorer's order.</summary>
    internal static IReadOnlyList<WitnessEvent> Linearize(Witness w)
    {
        var byRef = w.Events.ToDictionary(e => e.Ref);
        var next = new int[w.Cpus.Count];
        var lanes = Enumerable.Range(0, w.Cpus.Count).Select(c => w.EventsOf(c).OrderBy(e => e.Index).ToList()).ToArray();
        var done = new HashSet<string>();
        var order = new List<WitnessEvent>();
        while (order.Count < w.Events.Count)
        {
            WitnessEvent? pick = null;
            for (var c = 0; c < lanes.Length; c++)
            {
                if (next[c] >= lanes[c].Count) continue;
                var e = lanes[c][next[c]];
                var ready = e.ReadsFrom is null or "init" or "promise" || done.Contains(e.ReadsFrom) || !byRef.ContainsKey(e.ReadsFrom);
                if (ready && (pick is null || e.Stamp < pick.Stamp)) pick = e;
            }
            // A load-buffering cycle has no such order: fall back to the explorer's order.
            pick ??= Enumerable.Range(0, lanes.Length).Where(c => next[c] < lanes[c].Count).Select(c => lanes[c][next[c]]).MinBy(e => e.Stamp)!;
            order.Add(pick);
            done.Add(pick.Ref);
            next[pick.Cpu]++;
        }
        return order;
    }

    /// <summary>" (missed CPU 0 #2 := 0x0)": the first write of another CPU coherence-after what the read saw.</summary>
    private static string Missed(Witness w, WitnessEvent read)
    {
        var loc = w.Locations.FirstOrDefault(l => l.Address == read.Address);
        if (loc is null || read.ReadsFrom == "promise") return "";
        var start = read.ReadsFrom is null or "init" ? 0 : loc.Coherence.ToList().IndexOf(read.ReadsFrom) + 1;
        for (var k = start; k < loc.Coherence.Count; k++)
        {
            var later = w.Events.FirstOrDefault(x => x.Ref == loc.Coherence[k]);
            if (later is not null && later.Cpu != read.Cpu) return $" (missed CPU {later.Cpu} #{later.Index} := 0x{later.Value:x})";
        }
        return "";
    }

    private static string Source(Witness w, string? from)
    {
        if (from is null or "init") return "init";
        if (from == "promise") return "a later write (promised)";
        var parts = from.Split(':');
        return $"CPU {parts[0]} #{parts[1]}";
    }

    private static string Pad(string s) => s.Length >= LaneWidth ? s[..LaneWidth] : s.PadRight(LaneWidth);

    private static List<string> Wrap(string s)
    {
        // Keep "<- CPU n #i" and "<== Kind" whole: they are what a reader looks for.
        const char Glue = '\u0001';
        s = System.Text.RegularExpressions.Regex.Replace(s, @"<- CPU \d+ #\d+|<== \w+", m => m.Value.Replace(' ', Glue));
        var lines = new List<string>();
        while (s.Length > LaneWidth)
        {
            var cut = s.LastIndexOf(' ', LaneWidth - 1);
            if (cut <= 8) cut = LaneWidth;
            lines.Add(s[..cut]);
            s = "    " + s[cut..].TrimStart();
        }
        lines.Add(s);
        return lines.Select(l => l.Replace(Glue, ' ')).ToList();
    }
}
