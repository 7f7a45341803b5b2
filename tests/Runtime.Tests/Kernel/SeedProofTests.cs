using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Runtime.Tests.Kernel;

/// <summary>
/// The seed's proof (its comment in pud_free_pmd_page, Cases 1a, 1b and 2) as questions to the explorer over
/// the v6 scenario on ARMv8: each case happens in some execution, and in each the walker never holds the freed
/// PMD table.
/// </summary>
public class SeedProofTests
{
    private static readonly Lazy<List<Witness>> V6Executions = new(() =>
    {
        var all = new List<Witness>();
        var result = Explorer.Explore(BuiltInScenarios.Find("v6")!.Build(), new ExploreOptions { Model = MemoryModel.Arm64 }, ex => all.Add(ex.ToWitness()));
        Assert.Equal(Verdict.Safe, result.Verdict);
        return all;
    });

    private const int Freer = 0, Walker = 1;

    [Fact]
    public void Case1a_walker_holds_the_lock_first_and_the_freer_waits_for_its_unlock()
    {
        var case1a = V6Executions.Value.Where(w => FreerLockReadsFrom(w) is { } src && Label(w, src).StartsWith("mmap_write_unlock", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(case1a);
        // The free happens after the walk: the walker read every PMD and PTE entry before the poison existed.
        Assert.All(case1a, w => Assert.DoesNotContain(WalkerReads(w), e => e.Value >> 32 == 0xdead4ead));
    }

    [Fact]
    public void Case1b_freer_cycles_first_and_the_walker_then_sees_the_cleared_pud()
    {
        var case1b = V6Executions.Value.Where(w => WalkerLockReadsFrom(w) is { } src && Label(w, src).StartsWith("mmap_read_unlock", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(case1b);
        Assert.All(case1b, w => Assert.DoesNotContain(WalkerReads(w), e => e.Label!.Contains("pmd[", StringComparison.Ordinal)));
    }

    [Fact]
    public void Case2_freer_sees_the_key_off_before_the_walk_and_the_walker_sees_the_cleared_pud()
    {
        // Key off because the walker's increment is not visible yet (the freer read the initial value).
        var case2 = V6Executions.Value.Where(w => KeyRead(w) is { } k && k.Value == 0 && k.ReadsFrom == "init").ToList();
        Assert.NotEmpty(case2);
        Assert.All(case2, w =>
        {
            Assert.DoesNotContain(w.EventsOf(Freer), e => e.Label?.StartsWith("mmap_read_lock", StringComparison.Ordinal) == true);
            Assert.DoesNotContain(WalkerReads(w), e => e.Label!.Contains("pmd[", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void The_key_seen_off_after_the_walk_lets_the_freer_skip_the_lock()
    {
        var afterWalk = V6Executions.Value.Where(w => KeyRead(w) is { } k && k.Value == 0 && k.ReadsFrom != "init").ToList();
        Assert.NotEmpty(afterWalk);
        Assert.All(afterWalk, w => Assert.DoesNotContain(w.EventsOf(Freer), e => e.Label?.StartsWith("mmap_read_lock", StringComparison.Ordinal) == true));
    }

    private static WitnessEvent? KeyRead(Witness w) =>
        w.EventsOf(Freer).FirstOrDefault(e => e.Label == "static_branch_unlikely(arm64_ptdump_lock_key)");

    private static string? FreerLockReadsFrom(Witness w) =>
        w.EventsOf(Freer).FirstOrDefault(e => e.Kind == EventKind.Read && e.Label == "mmap_read_lock(init_mm)")?.ReadsFrom;

    private static string? WalkerLockReadsFrom(Witness w) =>
        w.EventsOf(Walker).FirstOrDefault(e => e.Kind == EventKind.Read && e.Label == "mmap_write_lock(init_mm)")?.ReadsFrom;

    private static string Label(Witness w, string reference) =>
        reference == "init" ? "init" : w.Events.First(e => e.Ref == reference).Label ?? "";

    private static IEnumerable<WitnessEvent> WalkerReads(Witness w) =>
        w.EventsOf(Walker).Where(e => e.Kind == EventKind.Read && e.Label?.StartsWith("ptdump_walk_pgd(", StringComparison.Ordinal) == true);
}
