using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime;

public sealed partial class KernelMachine
{
    // mmap_lock word: readers in bits 0-15, a writer holding it in bit 16, writers waiting from bit 20.
    private const ulong ReaderMask = 0xffff;
    private const ulong WriterHeld = 1UL << 16;
    private const ulong WaiterUnit = 1UL << 20;
    private const ulong WaiterMask = 0xffUL << 20;

    /// <summary><c>static_branch_unlikely</c>: a load of the key as the patched branch sees it.</summary>
    internal static bool StaticKeyOn(StaticKey key)
    {
        var cpu = Cpu.Require("static_branch_unlikely");
        cpu.Memory.Name(key.Address, key.Name);
        return !cpu.Load(key.Address, LoadKind.Plain, $"static_branch_unlikely({key.Name})").IsZero;
    }

    /// <summary>A key update: an RMW of the count, then a full barrier (the kernel's <c>kick_all_cpus_sync</c>).</summary>
    internal static void StaticKeyUpdate(StaticKey key, StaticKeyUpdate update)
    {
        var op = update switch
        {
            Runtime.StaticKeyUpdate.Inc => "static_branch_inc",
            Runtime.StaticKeyUpdate.Dec => "static_branch_dec",
            Runtime.StaticKeyUpdate.Enable => "static_branch_enable",
            _ => "static_branch_disable",
        };
        var cpu = Cpu.Require(op);
        cpu.Memory.Name(key.Address, key.Name);
        cpu.Rmw(key.Address, v => update switch
        {
            Runtime.StaticKeyUpdate.Inc => v + 1,
            Runtime.StaticKeyUpdate.Dec when v.Bits == 0 => throw new PtGuardException(
                $"{op}({key.Name}) on {cpu.Program.CpuName(cpu.Id)}: the count is already 0; a dec without a matching inc.", KernelViolations.StaticKeyUnderflow),
            Runtime.StaticKeyUpdate.Dec => v - 1,
            Runtime.StaticKeyUpdate.Enable => new Val(1),
            _ => new Val(0),
        }, RmwOrder.Relaxed, $"{op}({key.Name})");
        cpu.Fence(BarrierKind.DmbFull);
    }

    /// <summary><c>mmap_read_lock</c>: waits while a writer holds the lock or is queued for it, then counts itself in (acquire).</summary>
    internal static void ReadLock(MmStruct mm)
    {
        var cpu = Enter(mm, "mmap_read_lock");
        cpu.Await(mm.LockAddress, v => (v & (WriterHeld | WaiterMask)) == 0, v => v + 1, RmwOrder.Acquire, $"mmap_read_lock({mm.Name})");
        var held = cpu.Local<KernelCpuState>().ReadHeld;
        held[mm] = held.GetValueOrDefault(mm) + 1;
    }

    /// <summary><c>mmap_read_trylock</c>: one attempt; fails if a writer holds or waits for the lock.</summary>
    internal static bool ReadTrylock(MmStruct mm)
    {
        var cpu = Enter(mm, "mmap_read_trylock");
        var (ok, _) = cpu.TryRmw(mm.LockAddress, v => (v & (WriterHeld | WaiterMask)) == 0, v => v + 1, RmwOrder.Acquire, $"mmap_read_trylock({mm.Name})");
        if (ok)
        {
            var held = cpu.Local<KernelCpuState>().ReadHeld;
            held[mm] = held.GetValueOrDefault(mm) + 1;
        }
        return ok;
    }

    /// <summary><c>mmap_read_unlock</c> (release).</summary>
    internal static void ReadUnlock(MmStruct mm)
    {
        var cpu = Enter(mm, "mmap_read_unlock");
        var held = cpu.Local<KernelCpuState>().ReadHeld;
        if (held.GetValueOrDefault(mm) == 0)
        {
            throw new PtGuardException($"mmap_read_unlock({mm.Name}) on {cpu.Program.CpuName(cpu.Id)}: this CPU does not hold {mm.Name}'s read lock.", KernelViolations.LockMisuse);
        }
        held[mm]--;
        cpu.Rmw(mm.LockAddress, v => v - 1, RmwOrder.Release, $"mmap_read_unlock({mm.Name})");
    }

    /// <summary><c>mmap_write_lock</c>: queues as a waiting writer (from then on new readers wait), then waits for readers and any writer to leave.</summary>
    internal static void WriteLock(MmStruct mm)
    {
        var cpu = Enter(mm, "mmap_write_lock");
        cpu.Rmw(mm.LockAddress, v => v + WaiterUnit, RmwOrder.Relaxed, $"mmap_write_lock({mm.Name}): queue as writer");
        cpu.Await(mm.LockAddress, v => (v & (ReaderMask | WriterHeld)) == 0, v => (v - WaiterUnit) | WriterHeld, RmwOrder.Acquire, $"mmap_write_lock({mm.Name})");
        cpu.Local<KernelCpuState>().WriteHeld.Add(mm);
    }

    /// <summary><c>mmap_write_unlock</c> (release).</summary>
    internal static void WriteUnlock(MmStruct mm)
    {
        var cpu = Enter(mm, "mmap_write_unlock");
        if (!cpu.Local<KernelCpuState>().WriteHeld.Remove(mm))
        {
            throw new PtGuardException($"mmap_write_unlock({mm.Name}) on {cpu.Program.CpuName(cpu.Id)}: this CPU does not hold {mm.Name}'s write lock.", KernelViolations.LockMisuse);
        }
        cpu.Rmw(mm.LockAddress, v => v & ~WriterHeld, RmwOrder.Release, $"mmap_write_unlock({mm.Name})");
    }

    private static Cpu Enter(MmStruct mm, string op)
    {
        ArgumentNullException.ThrowIfNull(mm);
        var cpu = Cpu.Require(op);
        cpu.Memory.Name(mm.LockAddress, $"{mm.Name}.mmap_lock");
        return cpu;
    }

    /// <summary>Names who waits for whom: each blocked CPU's wait and the CPUs holding the lock it waits on.</summary>
    private string DescribeDeadlock(Execution execution, IReadOnlyList<int> blocked)
    {
        var w = execution.ToWitness();
        var parts = new List<string>();
        foreach (var cpu in blocked)
        {
            var last = w.EventsOf(cpu).Last();
            var lockName = last.Label ?? $"0x{last.Address:x}";
            var holders = Holders(w, last.Address).Where(h => h.Cpu != cpu || h.Mode == "read").ToList();
            var state = last.Value;
            var writer = lockName.StartsWith("mmap_write_lock", StringComparison.Ordinal);
            var why = writer
                ? ((state & ReaderMask) != 0 ? $"{state & ReaderMask} reader(s) still hold it" : "another writer holds it")
                : ((state & WriterHeld) != 0 ? "a writer holds it" : "a writer is queued ahead of it");
            var held = holders.Count == 0 ? "" : " (held: " + string.Join(", ", holders.Select(h => $"{w.Cpus[h.Cpu]} {h.Mode}")) + ")";
            parts.Add($"{w.Cpus[cpu]} waits in {lockName}: {why}{held}");
        }
        return string.Join("; ", parts) + ". A reader that already holds the lock and asks again queues behind the waiting writer, which waits for that reader: the cycle never breaks.";
    }

    private static IEnumerable<(int Cpu, string Mode)> Holders(Witness w, ulong lockAddress)
    {
        for (var cpu = 0; cpu < w.Cpus.Count; cpu++)
        {
            int reads = 0, writes = 0;
            foreach (var e in w.EventsOf(cpu).Where(e => e.Address == lockAddress && e.Kind == EventKind.Write && e.Label is not null))
            {
                if (e.Label!.StartsWith("mmap_read_lock", StringComparison.Ordinal) || e.Label.StartsWith("mmap_read_trylock", StringComparison.Ordinal)) reads++;
                else if (e.Label.StartsWith("mmap_read_unlock", StringComparison.Ordinal)) reads--;
                else if (e.Label.StartsWith("mmap_write_lock", StringComparison.Ordinal) && !e.Label.Contains("queue", StringComparison.Ordinal)) writes++;
                else if (e.Label.StartsWith("mmap_write_unlock", StringComparison.Ordinal)) writes--;
            }
            for (var i = 0; i < reads; i++) yield return (cpu, "read");
            if (writes > 0) yield return (cpu, "write");
        }
    }
}
