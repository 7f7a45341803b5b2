using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime;

public sealed partial class KernelMachine
{
    /// <summary><c>__flush_tlb_kernel_pgtable</c>: <c>DSB ISHST; TLBI VAAE1IS, addr; DSB ISH; ISB</c>.</summary>
    internal static void FlushPgtable(ulong addr)
    {
        const string op = "__flush_tlb_kernel_pgtable";
        var cpu = Cpu.Require(op);
        var m = Current(op);
        cpu.Fence(BarrierKind.DsbSt);
        var slots = m.HardwareWalkers.SelectMany(h => new[] { WalkCacheSlot(h, 2, addr, m.Geometry), WalkCacheSlot(h, 3, addr, m.Geometry) }).ToArray();
        cpu.Tlbi(TlbiScope.AllLevels, addr, slots, m.EntriesOnPath(addr, leafOnly: false), $"{op}(0x{addr:x}): TLBI VAAE1IS");
        cpu.Fence(BarrierKind.DsbFull);
        cpu.Fence(BarrierKind.Isb);
    }

    /// <summary><c>flush_tlb_kernel_range</c>: <c>DSB ISHST</c>, <c>TLBI VAALE1IS</c> per page, <c>DSB ISH; ISB</c>. Walk caches survive.</summary>
    internal static void FlushRangeLeaf(ulong start, ulong end)
    {
        const string op = "flush_tlb_kernel_range";
        var cpu = Cpu.Require(op);
        var m = Current(op);
        if (end < start) throw new PtGuardException($"{op}(0x{start:x}, 0x{end:x}): the end is below the start.");
        cpu.Fence(BarrierKind.DsbSt);
        for (var va = start & ~(m.Geometry.PageSize - 1); va < end; va += m.Geometry.PageSize)
        {
            cpu.Tlbi(TlbiScope.LeafOnly, va, Array.Empty<ulong>(), m.EntriesOnPath(va, leafOnly: true), $"{op}(0x{start:x}, 0x{end:x}): TLBI VAALE1IS 0x{va:x}");
        }
        cpu.Fence(BarrierKind.DsbFull);
        cpu.Fence(BarrierKind.Isb);
    }

    /// <summary>
    /// A hardware translation by the calling CPU: through its walk cache for <paramref name="va"/>'s PMD and PUD
    /// regions when they hold a table pointer, otherwise from the root, caching the table pointers it reads.
    /// </summary>
    internal static ulong Translate(ulong va)
    {
        const string op = "translate";
        var cpu = Cpu.Require(op);
        var m = Current(op);
        var g = m.Geometry;
        var pteSlot = WalkCacheSlot(cpu.Id, 3, va, g);
        var pteTable = cpu.LoadTranslation(pteSlot, $"walk cache: pte table for 0x{va:x}");
        if (!pteTable.IsZero) return m.Leaf(cpu, pteTable + (ulong)(g.IndexAt(3, va) * 8), 3, va);

        var pmdSlot = WalkCacheSlot(cpu.Id, 2, va, g);
        var pmdTable = cpu.LoadTranslation(pmdSlot, $"walk cache: pmd table for 0x{va:x}");
        if (pmdTable.IsZero)
        {
            Val table = m.Root;
            for (var level = 0; level < 2; level++)
            {
                var desc = LoadEntry(table + (ulong)(g.IndexAt(level, va) * 8), $"walk 0x{va:x}", hardware: true);
                if ((desc.Observe() & Descriptor.TypeTable) != Descriptor.TypeTable) return Output(desc, level, va, g);
                m.NoteChildGeneration(cpu, desc.Bits);
                table = desc & Descriptor.AddressMask;
            }
            cpu.StoreWalkCacheFill(pmdSlot, table, $"walk cache fill: pmd table for 0x{va:x}");
            pmdTable = table;
        }
        var pmd = LoadEntry(pmdTable + (ulong)(g.IndexAt(2, va) * 8), $"walk 0x{va:x}", hardware: true);
        if ((pmd.Observe() & Descriptor.TypeTable) != Descriptor.TypeTable) return Output(pmd, 2, va, g);
        m.NoteChildGeneration(cpu, pmd.Bits);
        var pte = pmd & Descriptor.AddressMask;
        cpu.StoreWalkCacheFill(pteSlot, pte, $"walk cache fill: pte table for 0x{va:x}");
        return m.Leaf(cpu, pte + (ulong)(g.IndexAt(3, va) * 8), 3, va);
    }

    private ulong Leaf(Cpu cpu, Val entry, int level, ulong va)
    {
        var desc = LoadEntry(entry, $"walk 0x{va:x}", hardware: true);
        return Output(desc, level, va, Geometry);
    }

    private static ulong Output(Val desc, int level, ulong va, Geometry g)
    {
        var bits = desc.Observe();
        if ((bits & Descriptor.Valid) == 0) return ulong.MaxValue;
        return (bits & Descriptor.AddressMask & ~(g.EntrySize(level) - 1)) | (va & (g.EntrySize(level) - 1));
    }

    /// <summary>Where CPU <paramref name="cpu"/> caches the table pointer for the level-<paramref name="level"/> table covering <paramref name="va"/>.</summary>
    internal static ulong WalkCacheSlot(int cpu, int level, ulong va, Geometry g)
    {
        var shift = level == 3 ? g.PmdShift : g.PudShift;
        return KernelLayout.WalkCacheBase + (ulong)cpu * 0x10000 + (ulong)(level - 2) * 0x8000 + ((va >> shift) & 0xfff) * 8;
    }

    /// <summary>The translation-table entries (in tables built at setup) whose cached copies a TLBI of <paramref name="va"/> invalidates.</summary>
    internal ulong[] EntriesOnPath(ulong va, bool leafOnly)
    {
        var result = new List<ulong>();
        foreach (var (page, info) in _tables)
        {
            if (leafOnly && info.Level != 3) continue;
            var size = Geometry.EntrySize(info.Level) * (ulong)Geometry.EntriesPerTable;
            if (va - info.VaBase >= size) continue;
            result.Add(page + (ulong)(Geometry.IndexAt(info.Level, va) * 8));
        }
        return result.ToArray();
    }
}
