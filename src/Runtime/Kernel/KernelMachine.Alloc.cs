using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime;

public sealed partial class KernelMachine
{
    /// <summary>
    /// Returns a table page to the allocator: marks it free in its page word (an RMW, so two frees of one page
    /// meet in coherence), then writes poison over every entry, as page poisoning would.
    /// </summary>
    internal static void FreeTable(Val table, int level, string op)
    {
        var cpu = Cpu.Require(op);
        var m = Current(op);
        var addr = table.Bits;
        var what = $"{LevelName(level)} table @0x{addr:x}";
        if (!m.IsTablePage(addr) || (addr & (m.Geometry.PageSize - 1)) != 0)
        {
            throw new PtGuardException($"{op}({what}): 0x{addr:x} is not the start of a page-table page.", ViolationKinds.ApiMisuse);
        }
        var meta = KernelLayout.PageMetaBase + (ulong)m.PageIndex(addr) * 8;
        var old = cpu.Rmw(new Val(meta, table.Deps), v =>
        {
            var state = PageMeta.State(v.Bits);
            if (state == PageMeta.Freed) throw new PtGuardException($"double free: {op}({what}) on {cpu.Program.CpuName(cpu.Id)}: the page is already free.", KernelViolations.DoubleFree);
            if (state != PageMeta.Used) throw new PtGuardException($"{op}({what}) on {cpu.Program.CpuName(cpu.Id)}: the page was never allocated as a table.", ViolationKinds.ApiMisuse);
            return (v & ~0xffUL) | PageMeta.Freed;
        }, RmwOrder.Relaxed, $"{op}({what}): page state");
        var gen = PageMeta.Generation(old.Bits);
        var label = $"{op}({what})";
        for (var i = 0; i < m.Geometry.EntriesPerTable; i++)
        {
            cpu.Store(new Val(addr + (ulong)(i * 8), table.Deps), KernelLayout.Poison | addr, StoreKind.Plain, label, WriteTag.Poison(gen));
        }
        // Back to the pool (release: the poison is written before the page can be handed out again).
        var index = m.PageIndex(addr);
        var bit = 1UL << (index % 64);
        cpu.Rmw(new Val(BitmapWord(index / 64), table.Deps), v => v & ~bit, RmwOrder.Release, $"{op}({what}): pool bitmap {index / 64}");
    }

    /// <summary>The pool bitmap word for pages 64·<paramref name="word"/> to 64·<paramref name="word"/>+63 (a set bit is in use).</summary>
    internal static ulong BitmapWord(int word) => KernelLayout.PageMetaBase - 8 * (ulong)(1 + word);

    /// <summary>Takes a free table page (the lowest in the pool bitmap), bumps its generation and zeroes it.</summary>
    internal static ulong AllocTable(int level, string op)
    {
        var cpu = Cpu.Require(op);
        var m = Current(op);
        for (var w = 0; w < PoolWords; w++)
        {
            var bitmap = BitmapWord(w);
            var (ok, old) = cpu.TryRmw(bitmap, v => v != ulong.MaxValue, v => v | LowestClear(v), RmwOrder.Acquire, $"{op}: pool bitmap {w}");
            if (!ok) continue;
            var bit = System.Numerics.BitOperations.TrailingZeroCount(~old.Observe());
            var index = w * 64 + bit;
            var page = KernelLayout.TablePoolBase + (ulong)index * m.Geometry.PageSize;
            var meta = cpu.Rmw(KernelLayout.PageMetaBase + (ulong)index * 8, v => PageMeta.InUse(PageMeta.Generation(v.Bits) + 1), RmwOrder.Relaxed, $"{op}: page state");
            var gen = PageMeta.Generation(meta.Bits) + 1;
            cpu.Local<KernelCpuState>().Generations[page] = gen;
            for (var i = 0; i < m.Geometry.EntriesPerTable; i++)
            {
                cpu.Store(page + (ulong)(i * 8), 0, StoreKind.Plain, $"{op}: zero {LevelName(level)} table @0x{page:x}", WriteTag.Content(gen));
            }
            return page;
        }
        throw new PtGuardException($"{op}: the table pool ({64 * PoolWords} pages) is exhausted.");
    }

    private static Val LowestClear(Val v) => new Val(~v.Bits & (v.Bits + 1), v.Deps);

    /// <summary>After an execution: no freed table may still be reachable from <c>init_mm</c>'s root.</summary>
    private Violation? CheckFreedTablesUnlinked(Execution execution)
    {
        var freed = new HashSet<ulong>();
        for (var i = 0; i < _nextPageLimit; i++)
        {
            if (PageMeta.State(execution.FinalValue(KernelLayout.PageMetaBase + (ulong)i * 8)) == PageMeta.Freed)
            {
                freed.Add(KernelLayout.TablePoolBase + (ulong)i * Geometry.PageSize);
            }
        }
        if (freed.Count == 0) return null;
        var root = execution.FinalValue(Kernel.InitMm.PgdFieldAddress) & Descriptor.AddressMask;
        var stack = new Stack<(ulong Table, int Level)>();
        var seen = new HashSet<ulong>();
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (table, level) = stack.Pop();
            if (!seen.Add(table) || level > 3) continue;
            for (var i = 0; i < Geometry.EntriesPerTable; i++)
            {
                var entry = table + (ulong)(i * 8);
                var desc = execution.FinalValue(entry);
                if (level == 3 || (desc & Descriptor.TypeTable) != Descriptor.TypeTable) continue;
                var child = desc & Descriptor.AddressMask;
                if (freed.Contains(child))
                {
                    return new Violation(KernelViolations.FreeOfLinkedTable, 0, child,
                        $"freed table still linked: {DescribeEntry(entry)} still points to the freed {LevelName(level + 1)} table @0x{child:x} at the end of the execution; any later walk reads freed memory.");
                }
                stack.Push((child, level + 1));
            }
        }
        return null;
    }

    private int _nextPageLimit => 64 * PoolWords;
}
