using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Reference;
using static PtGuard.Runtime.Kernel;

namespace PtGuard.Runtime.Scenarios;

/// <summary>
/// The seed's history as scenarios, each on a small geometry (4 entries per table) so that every execution
/// can be explored: a huge vmalloc mapping replacing a PMD table (with its PTE tables) or a PTE table, against
/// ptdump, a second walker, or a CPU translating through its walk cache.
/// </summary>
public static class BuiltInScenarios
{
    private const ulong Phys = ScenarioKit.Phys;

    /// <summary>Every built-in scenario, in the order <c>ptguard explore --list</c> shows them.</summary>
    public static IReadOnlyList<Scenario> All { get; } = new[]
    {
        new Scenario
        {
            Name = "v6",
            Description = "vmap huge PUD (a PMD table with 2 PTE tables) freed by Protocol A (v6) vs arm64_ptdump_walk_pgd",
            Build = () => HugePud("v6", ProtocolA.Arch, 2, ("ptdump", () => ProtocolA.Arm64PtdumpWalkPgd(PtdumpState.ForDump(), InitMm))),
        },
        new Scenario
        {
            Name = "v6-two-walkers",
            Description = "as v6, plus a second walker (ptdump_check_wx) raising the same counted key",
            Build = () => HugePud("v6-two-walkers", ProtocolA.Arch, 2,
                ("ptdump", () => ProtocolA.Arm64PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)),
                ("check_wx", () => ProtocolA.PtdumpCheckWx())),
        },
        new Scenario
        {
            Name = "prepatch",
            Description = "pre-patch arm64 pud_free_pmd_page (children freed before the PUD is cleared, no lock) vs ptdump_walk_pgd",
            ExpectedArm64 = KernelViolations.UseAfterFree,
            ExpectedSc = KernelViolations.UseAfterFree,
            Build = () => HugePud("prepatch", KnownBad.PrePatch.Arch, 2, ("ptdump", () => PtdumpWalkPgd(PtdumpState.ForDump(), InitMm))),
        },
        new Scenario
        {
            Name = "cycle-before-flush",
            Description = "clear; key test and lock cycle; flush; free (a PTE table) vs arm64_ptdump_walk_pgd",
            ExpectedArm64 = KernelViolations.UseAfterFree,
            Build = () => PteFree("cycle-before-flush", (pmdp, va) => KnownBad.CycleBeforeFlush.PmdFreePteTable(pmdp, va),
                ("ptdump", () => ProtocolA.Arm64PtdumpWalkPgd(PtdumpState.ForDump(), InitMm))),
        },
        new Scenario
        {
            Name = "v5-enable-disable",
            Description = "two walkers with v5's static_branch_enable/disable (ptdump, check_wx) vs the freer (a PTE table)",
            ExpectedArm64 = KernelViolations.UseAfterFree,
            ExpectedSc = KernelViolations.UseAfterFree,
            Build = () => PteFree("v5-enable-disable", (pmdp, va) => ProtocolA.PmdFreePtePage(pmdp, va),
                ("ptdump", () => KnownBad.V5EnableDisable.Arm64PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)),
                ("check_wx", () => KnownBad.V5EnableDisable.PtdumpCheckWx())),
        },
        new Scenario
        {
            Name = "held-across",
            Description = "Protocol B (2026): vmap_try_huge_pmd holds mmap_read_trylock across free and set_huge vs ptdump_walk_pgd",
            Build = () => HugePmd("held-across", ProtocolB.VmapTryHugePmd, ("ptdump", () => PtdumpWalkPgd(PtdumpState.ForDump(), InitMm))),
        },
        new Scenario
        {
            Name = "held-across-plus-cycle",
            Description = "Protocol B caller with Protocol A callee (nested mmap_read_lock) vs arm64_ptdump_walk_pgd queued as writer",
            ExpectedArm64 = ViolationKinds.Deadlock,
            ExpectedSc = ViolationKinds.Deadlock,
            Build = () => HugePmd("held-across-plus-cycle", KnownBad.ANestedInB.VmapTryHugePmd,
                ("ptdump", () => ProtocolA.Arm64PtdumpWalkPgd(PtdumpState.ForDump(), InitMm))),
        },
        new Scenario
        {
            Name = "hw-leaf-only-flush",
            Description = "a CPU translating through the VA (walk cache) while its PTE table is freed after a leaf-only flush",
            ExpectedArm64 = KernelViolations.UseAfterFree,
            ExpectedSc = KernelViolations.UseAfterFree,
            Build = () => Hardware("hw-leaf-only-flush", (pmdp, va) => KnownBad.LeafOnlyFlush.PmdFreePtePage(pmdp, va)),
        },
        new Scenario
        {
            Name = "hw-v6",
            Description = "the same translating CPU while the PTE table is freed by the v6 path (TLBI VAAE1IS)",
            Build = () => Hardware("hw-v6", (pmdp, va) => ProtocolA.PmdFreePtePage(pmdp, va)),
        },
    };

    /// <summary>The scenario called <paramref name="name"/>, or null.</summary>
    public static Scenario? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <c>v6</c> with <paramref name="pteTables"/> PTE tables under the freed PMD table (1 to 8), on a geometry with
    /// room for them: the growth series of the benchmarks.
    /// </summary>
    public static ConcurrentProgram V6WithPteTables(int pteTables)
    {
        if (pteTables < 1 || pteTables > 8) throw new PtGuardException($"v6 growth: {pteTables} PTE tables is outside 1..8.");
        return HugePud($"v6-{pteTables}", ProtocolA.Arch, pteTables,
            ("ptdump", () => ProtocolA.Arm64PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)));
    }

    /// <summary>The start of the model's vmalloc area, aligned to <c>PUD_SIZE</c>.</summary>
    public static ulong VmallocStart(Geometry g) => PtdumpState.DefaultMarkers(g)[4].StartAddress;

    // The freer is the generic vmap code (vmap_try_huge_pud) with the architecture's freeing functions.
    private static ConcurrentProgram HugePud(string name, IArchTableFreeing arch, int pteTables, params (string, Action)[] walkers)
    {
        var program = ScenarioKit.PmdTableFree(name, (pudp, va) => VmapTryHugePud(pudp, va, va + PudSize, Phys, PageKernel, PudShift), pteTables, walkers);
        ((KernelMachine)program.Context!).ArchFreeing = arch;
        return program;
    }

    private static ConcurrentProgram HugePmd(string name, Func<PmdPtr, ulong, ulong, ulong, PgProt, int, int> vmap, params (string, Action)[] walkers) =>
        ScenarioKit.PteTableFree(name, (pmdp, va) => vmap(pmdp, va, va + PmdSize, Phys, PageKernel, PmdShift), walkers);

    private static ConcurrentProgram PteFree(string name, Func<PmdPtr, ulong, int> free, params (string, Action)[] walkers) =>
        ScenarioKit.PteTableFree(name, (pmdp, va) => free(pmdp, va), walkers);

    private static ConcurrentProgram Hardware(string name, Func<PmdPtr, ulong, int> free) =>
        ScenarioKit.PteTableFree(name, (pmdp, va) => free(pmdp, va), WalkerKind.Hardware);
}
