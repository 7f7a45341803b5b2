using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.Specifications;
using PtGuard.Runtime;
using PtGuard.Runtime.Memory;

namespace PtGuard.Bench;

/// <summary>
/// The <c>prepatch</c> race written for Microsoft.Coyote: the same two CPUs as the built-in scenario, on the same
/// words (the scenario's initial memory image, read from the PtGuard program), with every shared access a Coyote
/// scheduling point (<see cref="SchedulingPoint.Interleave"/>) and the same bug check (a walker that reads a freed
/// table sees the poison the free wrote: <see cref="Specification.Assert(bool, string)"/>).
/// <para>
/// Each CPU is a thread registered as a Coyote-controlled operation (<see cref="Operation.CreateNext"/>,
/// <see cref="Operation.OnStarted"/>, <see cref="Operation.OnCompleted"/>), the instrumentation API Coyote offers for
/// concurrency it does not rewrite: no <c>coyote rewrite</c> step is needed, and Coyote serializes the threads at
/// each scheduling point as it does for rewritten tasks. The walker's write lock blocks with
/// <see cref="Operation.PauseUntil"/>, so Coyote knows when it is disabled. Memory is sequentially consistent:
/// the comparison is under the <c>sc</c> model.
/// </para>
/// </summary>
internal sealed class CoyoteRace
{
    // mmap_lock word as the kernel model encodes it: readers in bits 0-15, writer held in bit 16, waiters from bit 20.
    private const ulong ReaderMask = 0xffff;
    private const ulong WriterHeld = 1UL << 16;
    private const ulong WaiterUnit = 1UL << 20;
    private const ulong PoisonMask = 0xffff_ffff_0000_0000UL;
    private const ulong PageMetaBase = 0x0030_0000;
    private const ulong TablePoolBase = 0x0100_0000;
    private const ulong PageUsed = 1;
    private const ulong PageFreed = 2;

    private readonly Dictionary<ulong, ulong> _initial;
    private readonly Geometry _g = new(4);
    private readonly ulong _va;
    private readonly ulong _pudp;
    private readonly ulong _lock = Kernel.InitMm.LockAddress;
    private readonly ulong _pgdField = Kernel.InitMm.PgdFieldAddress;
    private readonly bool _holdReadLock;

    /// <summary>
    /// Takes the initial memory of PtGuard's <c>prepatch</c> program, so both tools start from the same words. With
    /// <paramref name="holdReadLock"/> the freer holds <c>mmap_read_lock(&amp;init_mm)</c> across the free (Protocol B's
    /// fix): the control run, in which Coyote must find nothing.
    /// </summary>
    public CoyoteRace(ConcurrentProgram prepatch, bool holdReadLock = false)
    {
        _holdReadLock = holdReadLock;
        _initial = prepatch.Memory.KnownAddresses.ToDictionary(a => a, a => prepatch.Memory.Read(a));
        _va = PtGuard.Runtime.Scenarios.BuiltInScenarios.VmallocStart(_g);
        // pud entry of the vmalloc start: pgd -> pud table -> entry index.
        var pgd = _initial[_pgdField] & Descriptor.AddressMask;
        var pud = _initial[pgd + (ulong)(_g.IndexAt(0, _va) * 8)] & Descriptor.AddressMask;
        _pudp = pud + (ulong)(_g.IndexAt(1, _va) * 8);
    }

    /// <summary>Shared accesses made in the last iteration (for the schedules-per-second figure).</summary>
    public long Accesses;

    /// <summary>One Coyote test iteration: fresh memory, the freer and ptdump as controlled operations.</summary>
    public void Test()
    {
        var mem = new Dictionary<ulong, ulong>(_initial);
        var freer = Operation.CreateNext() ?? throw new InvalidOperationException("the Coyote test engine is not attached");
        var walker = Operation.CreateNext() ?? throw new InvalidOperationException("the Coyote test engine is not attached");
        var threads = new[]
        {
            new Thread(() => Controlled(freer, () => VmapTryHugePud(mem))) { IsBackground = true },
            new Thread(() => Controlled(walker, () => PtdumpWalkPgd(mem))) { IsBackground = true },
        };
        Operation.Start(freer);
        threads[0].Start();
        Operation.Start(walker);
        threads[1].Start();
        Operation.ScheduleNext();
        Operation.PauseUntilCompleted(freer);
        Operation.PauseUntilCompleted(walker);
        foreach (var t in threads) t.Join();
    }

    private static void Controlled(ulong id, Action body)
    {
        try
        {
            Operation.OnStarted(id);
            body();
            Operation.OnCompleted();
            Operation.ScheduleNext();
        }
        catch (ThreadInterruptedException)
        {
            // Coyote ends an iteration (a bug was found, or the test finished) by interrupting the
            // operations it still controls; the thread just leaves.
        }
    }

    // ---- shared accesses: each one a scheduling point ----

    private ulong Load(Dictionary<ulong, ulong> mem, ulong address)
    {
        SchedulingPoint.Interleave();
        Interlocked.Increment(ref Accesses);
        return mem.TryGetValue(address, out var v) ? v : 0;
    }

    private void Store(Dictionary<ulong, ulong> mem, ulong address, ulong value)
    {
        SchedulingPoint.Interleave();
        Interlocked.Increment(ref Accesses);
        mem[address] = value;
    }

    private ulong Rmw(Dictionary<ulong, ulong> mem, ulong address, Func<ulong, ulong> update)
    {
        SchedulingPoint.Interleave();
        Interlocked.Increment(ref Accesses);
        var old = mem.TryGetValue(address, out var v) ? v : 0;
        mem[address] = update(old);
        return old;
    }

    /// <summary>A walker's load of a table entry: reading the poison of a freed table is the use-after-free.</summary>
    private ulong LoadEntry(Dictionary<ulong, ulong> mem, ulong address, string what)
    {
        var v = Load(mem, address);
        Specification.Assert((v & PoisonMask) != KernelPoison, $"use-after-free: ptdump read {what}@0x{address:x} after the freer freed its table");
        return v;
    }

    private const ulong KernelPoison = 0xdead_4ead_0000_0000UL;

    // ---- CPU 0: vmap_try_huge_pud with the pre-patch pud_free_pmd_page (KnownBad.PrePatch) ----

    private void VmapTryHugePud(Dictionary<ulong, ulong> mem)
    {
        if (_holdReadLock)
        {
            // mmap_read_lock: wait while a writer holds or waits for the lock, then count in.
            SchedulingPoint.Interleave();
            Operation.PauseUntil(() => (mem.GetValueOrDefault(_lock) & ~ReaderMask) == 0);
            mem[_lock] = mem.GetValueOrDefault(_lock) + 1;
        }
        if (IsPresent(Load(mem, _pudp))) PudFreePmdPage(mem, _pudp, _va);
        // pud_set_huge: a block descriptor, as the model writes it.
        Store(mem, _pudp, BlockDescriptor());
        if (_holdReadLock) Rmw(mem, _lock, v => v - 1);
    }

    private void PudFreePmdPage(Dictionary<ulong, ulong> mem, ulong pudp, ulong addr)
    {
        var pud = Load(mem, pudp);
        if ((pud & Descriptor.TypeTable) != Descriptor.TypeTable) return;
        var table = (Load(mem, pudp) & Descriptor.AddressMask) + (ulong)(_g.IndexAt(2, addr) * 8); // pmd_offset
        var pmdp = table;
        var next = addr;
        var end = addr + _g.PudSize;
        do
        {
            PmdFreePtePage(mem, pmdp, next);
            pmdp += 8;
            next += _g.PmdSize;
        }
        while (next != end);
        Store(mem, pudp, 0); // pud_clear; the flush has no shared access under sc
        FreeTable(mem, table & Descriptor.AddressMask); // pmd_free
    }

    private void PmdFreePtePage(Dictionary<ulong, ulong> mem, ulong pmdp, ulong addr)
    {
        var pmd = Load(mem, pmdp);
        if ((pmd & Descriptor.TypeTable) != Descriptor.TypeTable) return;
        var table = Load(mem, pmdp) & Descriptor.AddressMask; // pte_offset_kernel
        Store(mem, pmdp, 0); // pmd_clear; then __flush_tlb_kernel_pgtable
        FreeTable(mem, table); // pte_free_kernel
    }

    /// <summary>The allocator's free: mark the page free (an RMW of its page word), then poison every entry.</summary>
    private void FreeTable(Dictionary<ulong, ulong> mem, ulong table)
    {
        var meta = PageMetaBase + (table - TablePoolBase) / _g.PageSize * 8;
        var old = Rmw(mem, meta, v => (v & ~0xffUL) | PageFreed);
        Specification.Assert((old & 0xff) == PageUsed, $"double free of the table @0x{table:x}");
        for (var i = 0; i < _g.EntriesPerTable; i++) Store(mem, table + (ulong)(i * 8), KernelPoison | table);
    }

    private static bool IsPresent(ulong desc) => (desc & Descriptor.Valid) != 0;

    private ulong BlockDescriptor() => 0x0060_0000_8000_0701UL;

    // ---- CPU 1: ptdump_walk_pgd (write-locked pre-order walk) ----

    private void PtdumpWalkPgd(Dictionary<ulong, ulong> mem)
    {
        // mmap_write_lock: queue as a writer, then wait for readers and any writer to leave.
        Rmw(mem, _lock, v => v + WaiterUnit);
        SchedulingPoint.Interleave();
        Operation.PauseUntil(() => (mem.GetValueOrDefault(_lock) & (ReaderMask | WriterHeld)) == 0);
        mem[_lock] = (mem.GetValueOrDefault(_lock) - WaiterUnit) | WriterHeld;
        var root = Load(mem, _pgdField);
        WalkTable(mem, root & Descriptor.AddressMask, 0);
        Rmw(mem, _lock, v => v & ~WriterHeld); // mmap_write_unlock
    }

    private void WalkTable(Dictionary<ulong, ulong> mem, ulong table, int level)
    {
        for (var i = 0; i < _g.EntriesPerTable; i++)
        {
            var desc = LoadEntry(mem, table + (ulong)(i * 8), level switch { 0 => "pgd", 1 => "pud", 2 => "pmd", _ => "pte" });
            if (level == 3 || (desc & Descriptor.Valid) == 0 || (desc & Descriptor.TypeTable) != Descriptor.TypeTable) continue;
            WalkTable(mem, desc & Descriptor.AddressMask, level + 1);
        }
    }
}
