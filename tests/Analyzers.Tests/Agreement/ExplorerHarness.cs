using PtGuard.Runtime;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Analyzers.Tests.Agreement;

/// <summary>
/// Runs a freeing path in the explorer on the ARMv8 model against the walkers that can catch it (all from
/// <see cref="ScenarioKit"/>): the v6 arm64 ptdump (a software walker raising the counted key) and a CPU translating
/// the freed range in hardware through its walk caches; PMD tables also without children.
/// </summary>
public static class ExplorerHarness
{
    private static readonly ExploreOptions Arm64 = new() { Model = MemoryModel.Arm64 };

    /// <summary>The first violation found (walker, kind), or null when every execution is safe.</summary>
    public static string? FirstViolation(Action<PmdPtr, ulong> freer, string name)
    {
        var software = Explorer.Explore(ScenarioKit.PteTableFree(name, freer), Arm64);
        if (software.Verdict != Verdict.Safe) return Describe("ptdump", software);
        var hardware = Explorer.Explore(ScenarioKit.PteTableFree(name, freer, WalkerKind.Hardware), Arm64);
        return hardware.Verdict == Verdict.Safe ? null : Describe("hardware walker", hardware);
    }

    /// <summary>As <see cref="FirstViolation(Action{PmdPtr, ulong}, string)"/> for a PMD table with two PTE tables under it.</summary>
    public static string? FirstViolation(Action<PudPtr, ulong> freer, string name)
    {
        var software = Explorer.Explore(ScenarioKit.PmdTableFree(name, freer), Arm64);
        if (software.Verdict != Verdict.Safe) return Describe("ptdump", software);
        // With no PTE tables the children's loop frees nothing: the parent's own steps must protect it.
        var empty = Explorer.Explore(ScenarioKit.PmdTableFree(name, freer, WalkerKind.Arm64Ptdump, pteTables: 0), Arm64);
        if (empty.Verdict != Verdict.Safe) return Describe("ptdump (PMD table with no PTE tables)", empty);
        var hardware = Explorer.Explore(ScenarioKit.PmdTableFree(name, freer, WalkerKind.Hardware), Arm64);
        return hardware.Verdict == Verdict.Safe ? null : Describe("hardware walker", hardware);
    }

    private static string Describe(string walker, ExploreResult r) =>
        r.Verdict == Verdict.Violation ? $"{r.Violation!.Kind} against {walker}: {r.Violation.Message}" : $"{r.Verdict} against {walker}: {r.StoppedBy}";
}
