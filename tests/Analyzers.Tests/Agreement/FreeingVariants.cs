using System.Text;

namespace PtGuard.Analyzers.Tests.Agreement;

/// <summary>One freeing path rendered as C#: a static class with <c>Free(PmdPtr, ulong)</c> or <c>Free(PudPtr, ulong)</c>.</summary>
public sealed record FreeingVariant(string ClassName, string Description, bool FreesPmdTable, string Source);

/// <summary>
/// Enumerates freeing paths: every order of every subset of clear, flush, cycle and free of a PTE table, with the
/// flush walk-cache or leaf-only and the cycle in five shapes; and for a PMD table with PTE tables under it, every
/// order of the parent's clear, flush and cycle around the children's loop, the children freed with or without
/// their own cycle (so isolated or not).
/// </summary>
public static class FreeingVariants
{
    public const string Support = """
        using PtGuard.Runtime;
        using PtGuard.Runtime.Reference;
        using static PtGuard.Runtime.Kernel;

        public static class Keys
        {
            public static readonly StaticKey Other = new("other_key");
        }

        public static class Helpers
        {
            /// <summary>v6's __pmd_free_pte_page.</summary>
            public static int PmdFreePteTable(PmdPtr pmdp, ulong addr, bool acquireMmapLock)
            {
                if (!PmdTable(PmdpGet(pmdp)))
                    return 1;
                var table = PteOffsetKernel(pmdp, addr);
                PmdClear(pmdp);
                FlushTlbKernelPgtable(addr);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey) && acquireMmapLock)
                {
                    MmapReadLock(InitMm);
                    MmapReadUnlock(InitMm);
                }
                PteFreeKernel(table);
                return 1;
            }
        }
        """;

    private static readonly (string Name, string Code)[] Flushes =
    {
        ("walk-cache flush", "FlushTlbKernelPgtable(addr);"),
        ("leaf-only flush", "FlushTlbKernelRange(addr, addr + PageSize);"),
    };

    private static readonly (string Name, string Code)[] Cycles =
    {
        ("keyed read cycle", "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }"),
        ("unguarded read cycle", "MmapReadLock(InitMm); MmapReadUnlock(InitMm);"),
        ("wrong-key read cycle", "if (StaticBranchUnlikely(Keys.Other)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }"),
        ("keyed write cycle", "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapWriteLock(InitMm); MmapWriteUnlock(InitMm); }"),
        ("keyed lock without unlock", "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapReadLock(InitMm); }"),
    };

    public static IReadOnlyList<FreeingVariant> All()
    {
        var list = new List<FreeingVariant>();
        foreach (var order in Orders(new[] { 'C', 'F', 'K', 'X' }))
        {
            var flushes = order.Contains('F') ? Flushes : Flushes.Take(1).ToArray();
            var cycles = order.Contains('K') ? Cycles : Cycles.Take(1).ToArray();
            foreach (var flush in flushes)
            {
                foreach (var cycle in cycles)
                {
                    var body = new StringBuilder("        var table = PteOffsetKernel(pmdp, addr);\n");
                    var description = new List<string>();
                    foreach (var step in order)
                    {
                        var (name, code) = step switch
                        {
                            'C' => ("clear", "PmdClear(pmdp);"),
                            'F' => flush,
                            'K' => cycle,
                            _ => ("free", "PteFreeKernel(table);"),
                        };
                        description.Add(name);
                        body.Append("        ").Append(code).Append('\n');
                    }
                    list.Add(Render(list.Count, "PTE table: " + (description.Count == 0 ? "nothing" : string.Join(", ", description)), "PmdPtr pmdp", body.ToString(), pmd: false));
                }
            }
        }
        foreach (var order in Orders(new[] { 'C', 'F', 'K', 'L' }).Where(o => o.Contains('L')))
        {
            foreach (var childLock in new[] { true, false })
            {
                var body = new StringBuilder("        var table = PmdOffset(pudp, addr);\n");
                var description = new List<string>();
                foreach (var step in order)
                {
                    var (name, code) = step switch
                    {
                        'C' => ("clear PUD", "PudClear(pudp);"),
                        'F' => ("flush", "FlushTlbKernelPgtable(addr);"),
                        'K' => ("keyed read cycle", Cycles[0].Code),
                        _ => ($"free PTE tables (acquireMmapLock: {(childLock ? "true" : "false")})",
                            "{ var pmdp = table; var next = addr; var end = addr + PudSize; do { if (PmdPresent(PmdpGet(pmdp))) Helpers.PmdFreePteTable(pmdp, next, acquireMmapLock: "
                            + (childLock ? "true" : "false") + "); pmdp++; next += PmdSize; } while (next != end); }"),
                    };
                    description.Add(name);
                    body.Append("        ").Append(code).Append('\n');
                }
                body.Append("        PmdFree(table);\n");
                description.Add("free PMD table");
                list.Add(Render(list.Count, "PMD table: " + string.Join(", ", description), "PudPtr pudp", body.ToString(), pmd: true));
            }
        }
        return list;
    }

    private static FreeingVariant Render(int index, string description, string entryParameter, string body, bool pmd)
    {
        var name = "V" + index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
        var source = $$"""
            /// <summary>{{description}}</summary>
            public static class {{name}}
            {
                public static void Free({{entryParameter}}, ulong addr)
                {
            {{body}}    }
            }

            """;
        return new FreeingVariant(name, description, pmd, source);
    }

    /// <summary>Every ordering of every subset of <paramref name="steps"/>.</summary>
    private static IEnumerable<char[]> Orders(char[] steps)
    {
        var n = steps.Length;
        for (var mask = 0; mask < 1 << n; mask++)
        {
            var subset = Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).Select(i => steps[i]).ToArray();
            foreach (var p in Permutations(subset)) yield return p;
        }
    }

    private static IEnumerable<char[]> Permutations(char[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var p in Permutations(rest)) yield return new[] { items[i] }.Concat(p).ToArray();
        }
    }
}
