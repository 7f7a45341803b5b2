using PtGuard.Runtime;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;
using static PtGuard.Runtime.Kernel;

namespace PtGuard.Analyzers.Tests.Agreement;

/// <summary>
/// Runs a freeing path in the explorer on the ARMv8 model against the walkers that can catch it: the v6 arm64 ptdump
/// (a software walker raising the counted key, <see cref="ScenarioKit"/>) and a CPU translating the freed range in
/// hardware through its walk caches (built here with the public kernel-model API; ScenarioKit has no such walker).
/// </summary>
public static class ExplorerHarness
{
    private const ulong Phys = 0x8000_0000;
    private static readonly ExploreOptions Arm64 = new() { Model = MemoryModel.Arm64 };

    /// <summary>The first violation found (walker, kind), or null when every execution is safe.</summary>
    public static string? FirstViolation(Action<PmdPtr, ulong> freer, string name)
    {
        var software = Explorer.Explore(ScenarioKit.PteTableFree(name, freer), Arm64);
        if (software.Verdict != Verdict.Safe) return Describe("ptdump", software);
        var hardware = Explorer.Explore(HardwarePte(name, freer), Arm64);
        return hardware.Verdict == Verdict.Safe ? null : Describe("hardware walker", hardware);
    }

    /// <summary>As <see cref="FirstViolation(Action{PmdPtr, ulong}, string)"/> for a PMD table with two PTE tables under it.</summary>
    public static string? FirstViolation(Action<PudPtr, ulong> freer, string name)
    {
        var software = Explorer.Explore(ScenarioKit.PmdTableFree(name, freer), Arm64);
        if (software.Verdict != Verdict.Safe) return Describe("ptdump", software);
        var empty = Explorer.Explore(EmptyPmdTable(name, freer), Arm64);
        if (empty.Verdict != Verdict.Safe) return Describe("ptdump (PMD table with no PTE tables)", empty);
        var hardware = Explorer.Explore(HardwarePmd(name, freer), Arm64);
        return hardware.Verdict == Verdict.Safe ? null : Describe("hardware walker", hardware);
    }

    private static string Describe(string walker, ExploreResult r) =>
        r.Verdict == Verdict.Violation ? $"{r.Violation!.Kind} against {walker}: {r.Violation.Message}" : $"{r.Verdict} against {walker}: {r.StoppedBy}";

    private static ConcurrentProgram HardwarePte(string name, Action<PmdPtr, ulong> freer)
    {
        var m = new KernelMachine(new Geometry(4));
        var va = BuiltInScenarios.VmallocStart(m.Geometry);
        m.MapPage(va, Phys, PgProt.PageKernel);
        var pmdp = m.PmdEntry(va);
        m.HardwareWalkers = new[] { 1 };
        return m.Program(name, ("freer", () => freer(pmdp, va)), ("translating CPU", () =>
        {
            Translate(va);
            Translate(va);
        }));
    }

    /// <summary>
    /// A PMD table none of whose entries is present (its only PTE table was unlinked before the run): the children's
    /// loop frees nothing, so the parent's own steps must protect it. ScenarioKit's PMD tables always have children,
    /// whose flushes and cycles would otherwise stand in for a parent's missing ones.
    /// </summary>
    private static ConcurrentProgram EmptyPmdTable(string name, Action<PudPtr, ulong> freer)
    {
        var m = new KernelMachine(new Geometry(4));
        var va = BuiltInScenarios.VmallocStart(m.Geometry);
        m.MapPage(va, Phys, PgProt.PageKernel);
        m.Memory.Write(m.EnsureEntry(2, va), 0);
        var pudp = m.PudEntry(va);
        return m.Program(name, ("freer", () => freer(pudp, va)), ("ptdump", () => PtGuard.Runtime.Reference.ProtocolA.Arm64PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)));
    }

    private static ConcurrentProgram HardwarePmd(string name, Action<PudPtr, ulong> freer)
    {
        var m = new KernelMachine(new Geometry(4));
        var g = m.Geometry;
        var va = BuiltInScenarios.VmallocStart(g);
        m.MapPage(va, Phys, PgProt.PageKernel);
        m.MapPage(va + g.PmdSize, Phys + g.PageSize, PgProt.PageKernel);
        var pudp = m.PudEntry(va);
        m.HardwareWalkers = new[] { 1 };
        return m.Program(name, ("freer", () => freer(pudp, va)), ("translating CPU", () =>
        {
            Translate(va + g.PmdSize);
            Translate(va + g.PmdSize);
        }));
    }
}
