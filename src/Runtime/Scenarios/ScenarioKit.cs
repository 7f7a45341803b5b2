using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Reference;
using static PtGuard.Runtime.Kernel;

namespace PtGuard.Runtime.Scenarios;

/// <summary>Which walker runs against a freeing path in a <see cref="ScenarioKit"/> program.</summary>
public enum WalkerKind
{
    /// <summary><c>arm64_ptdump_walk_pgd</c> (v6): the walk bracketed by the counted key.</summary>
    Arm64Ptdump,

    /// <summary>Plain <c>ptdump_walk_pgd</c>: write-locked, no key (the generic walker, Protocol B's world).</summary>
    PlainPtdump,

    /// <summary>Two arm64 walkers (ptdump and check_wx) with the counted key.</summary>
    TwoArm64Walkers,

    /// <summary>A CPU translating an address of the freed range twice in hardware, through its walk caches.</summary>
    Hardware,
}

/// <summary>
/// Builds explorer programs around a freeing path of your own: the same small machines as the built-in
/// scenarios, with your code as the freeing CPU. Used to check rewritten or generated freeing code.
/// </summary>
public static class ScenarioKit
{
    internal const ulong Phys = 0x8000_0000;

    /// <summary>
    /// A PTE table (two mapped pages) under one PMD entry. <paramref name="freer"/> gets the PMD entry and the
    /// address it maps, and must free the PTE table; <paramref name="walker"/> walks concurrently.
    /// </summary>
    public static ConcurrentProgram PteTableFree(string name, Action<PmdPtr, ulong> freer, WalkerKind walker = WalkerKind.Arm64Ptdump)
    {
        var program = PteTableFree(name, freer, Walkers(walker, va => va));
        if (walker == WalkerKind.Hardware) ((KernelMachine)program.Context!).HardwareWalkers = new[] { 1 };
        return program;
    }

    /// <summary>The same with CPUs of your own against the freer.</summary>
    public static ConcurrentProgram PteTableFree(string name, Action<PmdPtr, ulong> freer, params (string Name, Action Body)[] others)
    {
        ArgumentNullException.ThrowIfNull(freer);
        var (m, va) = Machine(4);
        m.MapPage(va, Phys, PgProt.PageKernel);
        m.MapPage(va + m.Geometry.PageSize, Phys + m.Geometry.PageSize, PgProt.PageKernel);
        var pmdp = m.PmdEntry(va);
        return m.Program(name, new[] { ("freer", (Action)(() => freer(pmdp, va))) }.Concat(others).ToArray());
    }

    /// <summary>
    /// A PMD table holding <paramref name="pteTables"/> PTE tables (0 to 8; with 0, a PMD table none of whose entries is
    /// present) under one PUD entry. <paramref name="freer"/> gets the PUD entry and the address it maps, and must free
    /// the PMD table and its PTE tables.
    /// </summary>
    public static ConcurrentProgram PmdTableFree(string name, Action<PudPtr, ulong> freer, WalkerKind walker = WalkerKind.Arm64Ptdump, int pteTables = 2)
    {
        // The hardware walker translates an address of the last PTE table (or of the empty PMD table's range).
        var program = PmdTableFree(name, freer, pteTables, Walkers(walker, va => va + (ulong)Math.Max(0, pteTables - 1) * KernelMachine.CurrentGeometry.PmdSize));
        if (walker == WalkerKind.Hardware) ((KernelMachine)program.Context!).HardwareWalkers = new[] { 1 };
        return program;
    }

    /// <summary>The same with CPUs of your own against the freer.</summary>
    public static ConcurrentProgram PmdTableFree(string name, Action<PudPtr, ulong> freer, int pteTables, params (string Name, Action Body)[] others)
    {
        ArgumentNullException.ThrowIfNull(freer);
        if (pteTables < 0 || pteTables > 8) throw new PtGuardException($"{name}: {pteTables} PTE tables is outside 0..8.");
        var (m, va) = Machine(pteTables <= 4 ? 4 : 8);
        for (var i = 0; i < pteTables; i++) m.MapPage(va + (ulong)i * m.Geometry.PmdSize, Phys + (ulong)i * m.Geometry.PageSize, PgProt.PageKernel);
        if (pteTables == 0) m.EnsureEntry(2, va);
        var pudp = m.PudEntry(va);
        return m.Program(name, new[] { ("freer", (Action)(() => freer(pudp, va))) }.Concat(others).ToArray());
    }

    /// <summary>A small machine and the start of its vmalloc area.</summary>
    internal static (KernelMachine Machine, ulong Va) Machine(int entries)
    {
        var m = new KernelMachine(new Geometry(entries));
        return (m, BuiltInScenarios.VmallocStart(m.Geometry));
    }

    private static (string, Action)[] Walkers(WalkerKind kind, Func<ulong, ulong> translated) => kind switch
    {
        WalkerKind.PlainPtdump => new (string, Action)[] { ("ptdump", () => PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)) },
        WalkerKind.TwoArm64Walkers => new (string, Action)[]
        {
            ("ptdump", () => ProtocolA.Arm64PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)),
            ("check_wx", () => ProtocolA.PtdumpCheckWx()),
        },
        WalkerKind.Hardware => new (string, Action)[]
        {
            ("translating CPU", () =>
            {
                var va = translated(BuiltInScenarios.VmallocStart(KernelMachine.CurrentGeometry));
                Translate(va);
                Translate(va);
            }),
        },
        _ => new (string, Action)[] { ("ptdump", () => ProtocolA.Arm64PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)) },
    };
}
