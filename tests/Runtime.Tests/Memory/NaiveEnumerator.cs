using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Memory;

/// <summary>
/// The slow, obviously-complete way to find every execution of a straight-line program: take its events
/// (they do not depend on the values read), try every reads-from and every coherence order, keep the graphs
/// the model accepts. The explorer must find exactly these, each once.
/// </summary>
internal static class NaiveEnumerator
{
    public static HashSet<string> Executions(ConcurrentProgram program, MemoryModel model)
    {
        Witness? template = null;
        Explorer.Explore(program, new ExploreOptions { Model = MemoryModel.Sc, MaxExecutions = 1 }, ex => template ??= ex.ToWitness());
        Assert.NotNull(template);
        var events = template!.Events.OrderBy(e => e.Cpu).ThenBy(e => e.Index).Select((e, k) => e with { Stamp = k }).ToList();
        var reads = events.Where(e => e.Kind == EventKind.Read).ToList();
        var writesByAddr = events.Where(e => e.Kind == EventKind.Write).GroupBy(e => e.Address).ToDictionary(g => g.Key, g => g.ToList());
        var addresses = writesByAddr.Keys.OrderBy(a => a).ToList();
        var checker = ConsistencyModel.For(model);
        var found = new HashSet<string>();

        var rfChoices = reads.Select(r => new[] { "init" }.Concat(writesByAddr.GetValueOrDefault(r.Address, new()).Select(w => w.Ref)).ToArray()).ToArray();
        var coChoices = addresses.Select(a => Permutations(writesByAddr[a].Select(w => w.Ref).ToList()).ToArray()).ToArray();
        foreach (var rf in Product(rfChoices.Select(c => c.Length).ToArray()))
        {
            foreach (var co in Product(coChoices.Select(c => c.Length).ToArray()))
            {
                var valueOf = events.Where(e => e.Kind == EventKind.Write).ToDictionary(e => e.Ref, e => e.Value);
                var chosen = events.Select(e =>
                {
                    if (e.Kind != EventKind.Read) return e;
                    var src = rfChoices[reads.IndexOf(e)][rf[reads.IndexOf(e)]];
                    return e with { ReadsFrom = src, Value = src == "init" ? program.Memory.Read(e.Address) : valueOf[src] };
                }).ToList();
                var locations = addresses.Select((a, k) => new WitnessLocation { Address = a, Coherence = coChoices[k][co[k]] }).ToList();
                var w = template with { Events = chosen, Locations = locations };
                var g = WitnessBuilder.ToGraph(w, program, model);
                if (checker.IsConsistent(g)) found.Add(Key(w));
            }
        }
        return found;
    }

    /// <summary>Reads-from and coherence of a witness, as a comparable string.</summary>
    public static string Key(Witness w) =>
        string.Join(";", w.Events.Where(e => e.Kind == EventKind.Read).OrderBy(e => e.Cpu).ThenBy(e => e.Index).Select(e => $"{e.Ref}<{e.ReadsFrom}"))
        + "|" + string.Join(";", w.Locations.Where(l => l.Coherence.Count > 0).OrderBy(l => l.Address).Select(l => $"{l.Address:x}:{string.Join(",", l.Coherence)}"));

    private static IEnumerable<int[]> Product(int[] sizes)
    {
        var idx = new int[sizes.Length];
        if (sizes.Any(s => s == 0)) yield break;
        while (true)
        {
            yield return (int[])idx.Clone();
            var d = 0;
            while (d < idx.Length && ++idx[d] == sizes[d]) idx[d++] = 0;
            if (d == idx.Length) yield break;
        }
    }

    private static IEnumerable<List<string>> Permutations(List<string> items)
    {
        if (items.Count <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Count; i++)
        {
            var rest = items.Where((_, k) => k != i).ToList();
            foreach (var p in Permutations(rest)) yield return new[] { items[i] }.Concat(p).ToList();
        }
    }
}
