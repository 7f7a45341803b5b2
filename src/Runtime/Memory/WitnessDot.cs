using System.Globalization;
using System.Text;

namespace PtGuard.Runtime.Memory;

/// <summary>A witness as a Graphviz graph: one cluster per CPU, program order, reads-from and coherence edges.</summary>
public static class WitnessDot
{
    /// <summary>Renders <paramref name="w"/> in the DOT language (<c>dot -Tsvg</c>).</summary>
    public static string Render(Witness w)
    {
        ArgumentNullException.ThrowIfNull(w);
        var offending = WitnessText.Offending(w);
        var sb = new StringBuilder();
        sb.Append("digraph witness {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
        sb.Append(CultureInfo.InvariantCulture, $"  label=\"{Escape($"{w.Program} on {w.Model}: {w.Violation?.Kind ?? "execution"}")}\";\n");
        for (var c = 0; c < w.Cpus.Count; c++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  subgraph cluster_{c} {{\n    label=\"{Escape(w.Cpus[c])}\";\n");
            WitnessEvent? prev = null;
            foreach (var e in w.EventsOf(c).OrderBy(e => e.Index))
            {
                var style = offending.Contains(e.Ref) ? ", color=red, penwidth=2" : "";
                sb.Append(CultureInfo.InvariantCulture, $"    {Id(e)} [label=\"{Escape(WitnessText.Describe(w, e))}\"{style}];\n");
                if (prev is not null) sb.Append(CultureInfo.InvariantCulture, $"    {Id(prev)} -> {Id(e)} [label=\"po\"];\n");
                prev = e;
            }
            sb.Append("  }\n");
        }
        foreach (var e in w.Events.Where(e => e.Kind == EventKind.Read && e.ReadsFrom is not (null or "init" or "promise")))
        {
            sb.Append(CultureInfo.InvariantCulture, $"  n{e.ReadsFrom!.Replace(':', '_')} -> {Id(e)} [label=\"rf\", color=red, fontcolor=red, constraint=false];\n");
        }
        foreach (var l in w.Locations)
        {
            for (var k = 1; k < l.Coherence.Count; k++)
            {
                sb.Append(CultureInfo.InvariantCulture, $"  n{l.Coherence[k - 1].Replace(':', '_')} -> n{l.Coherence[k].Replace(':', '_')} [label=\"co\", color=blue, fontcolor=blue, style=dashed, constraint=false];\n");
            }
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Id(WitnessEvent e) => $"n{e.Cpu}_{e.Index}";

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
