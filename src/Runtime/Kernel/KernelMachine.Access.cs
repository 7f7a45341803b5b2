using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime;

public sealed partial class KernelMachine
{
    /// <summary>A plain load of a table entry, checked for use-after-free.</summary>
    internal static Val LoadEntry(Val address, string op, bool hardware = false)
    {
        var cpu = Cpu.Require(op);
        var m = cpu.Program.Context as KernelMachine;
        var label = $"{op}({m?.DescribeEntry(address.Bits) ?? $"0x{address.Bits:x}"})";
        var value = hardware ? cpu.LoadTranslation(address, label) : cpu.Load(address, LoadKind.Plain, label);
        m?.CheckNotFreed(cpu, address.Bits, op, hardware);
        return value;
    }

    /// <summary>A plain load of a kernel variable (not a table entry).</summary>
    internal static Val LoadField(ulong address, string label) => Cpu.Require(label).Load(address, LoadKind.Plain, label);

    /// <summary>Loads the entry at <paramref name="entry"/> and returns the address of <paramref name="va"/>'s entry in the table it points to.</summary>
    internal static Val ChildEntry(Val entry, int childLevel, ulong va, string op)
    {
        var desc = LoadEntry(entry, op);
        var cpu = Cpu.Require(op);
        var m = Current(op);
        if ((desc.Bits & Descriptor.TypeTable) != Descriptor.TypeTable)
        {
            throw new PtGuardException($"{op}({m.DescribeEntry(entry.Bits)}): the entry holds 0x{desc.Bits:x}, not a table descriptor; there is no table to point into.", ViolationKinds.ApiMisuse);
        }
        m.NoteChildGeneration(cpu, desc.Bits);
        // The child's address is computed from the loaded descriptor: an address dependency, as in the kernel.
        return (desc & Descriptor.AddressMask) + (ulong)(m.Geometry.IndexAt(childLevel, va) * 8);
    }

    /// <summary>A plain store to a table entry.</summary>
    internal static void StoreEntry(Val address, Val value, string op)
    {
        var cpu = Cpu.Require(op);
        var m = Current(op);
        var local = cpu.Local<KernelCpuState>();
        var page = m.PageOf(address.Bits);
        local.Generations.TryGetValue(page, out var gen);
        local.Generations.TryGetValue(value.Bits & Descriptor.AddressMask, out var childGen);
        cpu.Store(address, value, StoreKind.Plain, $"{op}({m.DescribeEntry(address.Bits)})", WriteTag.Content(gen, childGen));
    }

    /// <summary>"pmd[2]@0x1002010": the level of the table holding the entry, its index, its address.</summary>
    internal string DescribeEntry(ulong address)
    {
        if (!IsTablePage(address)) return Memory.Describe(address);
        var page = PageOf(address);
        var level = InfoOf(page)?.Level;
        var name = level is { } l ? LevelName(l) : "table";
        return $"{name}[{(address - page) / 8}]@0x{address:x}";
    }

    /// <summary>
    /// A read of a freed table is a use-after-free: it read the poison the free wrote, or content of a later
    /// generation of the page (it was reused) than the pointer the walker followed.
    /// </summary>
    private void CheckNotFreed(Cpu cpu, ulong address, string op, bool hardware)
    {
        if (!IsTablePage(address)) return;
        var (tag, label, writer, _) = cpu.LastReadSource();
        var page = PageOf(address);
        var local = cpu.Local<KernelCpuState>();
        var reused = local.Expected.TryGetValue(page, out var expected) && WriteTag.Generation(tag) > expected;
        if (!WriteTag.IsPoison(tag) && !reused) return;
        var who = hardware ? "the hardware table walker of " + cpu.Program.CpuName(cpu.Id) : cpu.Program.CpuName(cpu.Id);
        var how = WriteTag.IsPoison(tag)
            ? $"after {cpu.Program.CpuName(writer)} freed it ({label})"
            : $"after the page was freed and reused ({label})";
        cpu.Fail(KernelViolations.UseAfterFree,
            $"use-after-free: {who} read {DescribeEntry(address)} in {op} {how}", address);
    }

    /// <summary>Remembers which generation of the child table the entry just loaded points to.</summary>
    internal static void NoteChild(Val descriptor)
    {
        var cpu = Cpu.Require("walk");
        Current("walk").NoteChildGeneration(cpu, descriptor.Bits);
    }

    private void NoteChildGeneration(Cpu cpu, ulong descriptor)
    {
        if ((descriptor & Descriptor.TypeTable) != Descriptor.TypeTable) return;
        var child = descriptor & Descriptor.AddressMask;
        if (!IsTablePage(child)) return;
        var (tag, _, _, _) = cpu.LastReadSource();
        cpu.Local<KernelCpuState>().Expected[child] = WriteTag.ChildGeneration(tag);
    }
}

/// <summary>What the kernel model keeps per CPU during one run: locks held, generations it knows, walk positions.</summary>
internal sealed class KernelCpuState
{
    public Dictionary<ulong, ulong> Generations { get; } = new();
    public Dictionary<ulong, ulong> Expected { get; } = new();
    public Dictionary<MmStruct, int> ReadHeld { get; } = new();
    public HashSet<MmStruct> WriteHeld { get; } = new();
}

/// <summary>Write tags: what kind of write went into a table page, and which generation of the page it belongs to.</summary>
internal static class WriteTag
{
    private const int PoisonKind = 1;

    public static int Content(ulong generation, ulong childGeneration = 0) =>
        (int)(((generation & 0x3fff) << 2) | ((childGeneration & 0x3fff) << 16));

    public static int Poison(ulong generation) => (int)((generation & 0x3fff) << 2) | PoisonKind;

    public static bool IsPoison(int tag) => (tag & 3) == PoisonKind;

    public static ulong Generation(int tag) => (ulong)((tag >> 2) & 0x3fff);

    public static ulong ChildGeneration(int tag) => (ulong)((tag >> 16) & 0x3fff);
}

/// <summary>The violations the kernel model reports, besides the explorer's own.</summary>
public static class KernelViolations
{
    /// <summary>A walker (software or hardware) read a table page after it was freed.</summary>
    public const string UseAfterFree = "UseAfterFree";

    /// <summary>A table page was freed twice.</summary>
    public const string DoubleFree = "DoubleFree";

    /// <summary>A table was freed while an entry reachable from the root still pointed at it.</summary>
    public const string FreeOfLinkedTable = "FreeOfLinkedTable";

    /// <summary>Unlock without lock, or a lock released by a CPU that does not hold it.</summary>
    public const string LockMisuse = "LockMisuse";

    /// <summary><c>static_branch_dec</c> below zero.</summary>
    public const string StaticKeyUnderflow = "StaticKeyUnderflow";
}
