using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime;

/// <summary>
/// <c>ptdump_walk_pgd</c> of <c>mm/ptdump.c</c> over <c>walk_page_range_novma</c>: write-locks the mm, visits every
/// entry of the range in pre-order, notes holes, leaves and every PTE, unlocks, then flushes the last run.
/// Each entry is read with <c>READ_ONCE</c>, i.e. one plain load, checked for use-after-free.
/// </summary>
internal static class Ptdump
{
    public static void Walk(PtdumpState st, MmStruct mm)
    {
        ArgumentNullException.ThrowIfNull(st);
        ArgumentNullException.ThrowIfNull(mm);
        var g = KernelMachine.CurrentGeometry;
        Kernel.MmapWriteLock(mm);
        var root = KernelMachine.LoadField(mm.PgdFieldAddress, $"{mm.Name}.pgd");
        WalkTable(st, root, 0, g.KernelVaStart, st.RangeStart, g);
        Kernel.MmapWriteUnlock(mm);
        st.NotePage(0, -1, 0);
    }

    private static void WalkTable(PtdumpState st, Val table, int level, ulong tableBase, ulong rangeStart, Geometry g)
    {
        var size = g.EntrySize(level);
        // note_page levels: pgd 0, (folded p4d 1), pud 2, pmd 3, pte 4.
        var depth = level == 0 ? 0 : level + 1;
        for (var i = 0; i < g.EntriesPerTable; i++)
        {
            var va = tableBase + (ulong)i * size;
            if (va + size - 1 < rangeStart) continue;
            var desc = KernelMachine.LoadEntry(table + (ulong)(i * 8), "ptdump_walk_pgd");
            var bits = desc.Observe();
            if (level == 3)
            {
                st.NotePage(va, 4, bits);
            }
            else if (bits == 0 || (bits & Descriptor.Valid) == 0)
            {
                st.NotePage(va, depth, 0);
            }
            else if ((bits & Descriptor.TypeTable) == Descriptor.TypeSect)
            {
                st.NotePage(va, depth, bits);
            }
            else
            {
                KernelMachine.NoteChild(desc);
                WalkTable(st, desc & Descriptor.AddressMask, level + 1, va, rangeStart, g);
            }
        }
    }
}
