using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Reference;
using PtGuard.Runtime.Scenarios;
using static PtGuard.Runtime.Kernel;

namespace PtGuard.Runtime.Tests.Kernel;

/// <summary>vmap_range on the kernel model: tables allocated as needed, blocks where the range allows, old tables freed and reused.</summary>
public class VmapTests
{
    private const ulong Phys = 0x8000_0000;

    private static (KernelMachine Machine, ulong Va) Machine()
    {
        var m = new KernelMachine(new Geometry(4)) { ArchFreeing = ProtocolA.Arch };
        return (m, BuiltInScenarios.VmallocStart(m.Geometry));
    }

    [Fact]
    public void VmapRange_maps_pages_allocating_the_tables_it_needs()
    {
        var (m, va) = Machine();
        m.RunSequential(() =>
        {
            var cpu = Cpu.Current!;
            VmapRange(va, va + 2 * PageSize, Phys, PageKernel, 12);
            cpu.Assert(Translate(va) == Phys, "first page");
            cpu.Assert(Translate(va + PageSize) == Phys + PageSize, "second page");
            cpu.Assert(Translate(va + 2 * PageSize) == ulong.MaxValue, "the third page is not mapped");
        });
    }

    [Fact]
    public void VmapRange_puts_a_block_where_the_range_allows_and_frees_the_table_it_replaces()
    {
        var (m, va) = Machine();
        m.RunSequential(() =>
        {
            var cpu = Cpu.Current!;
            VmapRange(va, va + PageSize, Phys, PageKernel, 12);
            var pteTable = PteOffsetKernel(PmdOffset(PudOffset(PgdOffsetK(va), va), va), va);
            // The same PMD range again, now allowed to go huge: the PTE table is freed and a block installed.
            VmapRange(va, va + PmdSize, Phys + PmdSize, PageKernel, PmdShift);
            cpu.Assert(Translate(va + PageSize) == Phys + PmdSize + PageSize, "the block maps the whole range");
            cpu.Assert(PmdLeaf(PmdpGet(PmdOffset(PudOffset(PgdOffsetK(va), va), va))), "the PMD entry is a block");
            // The freed page goes back to the pool: the next table allocated is that page, in a new generation.
            var reused = PteAllocOneKernel();
            cpu.Assert(reused.Address.Observe() == pteTable.Address.Observe(), "the freed table page is reused");
        });
    }

    [Fact]
    public void A_walker_reading_a_reused_table_is_a_use_after_free()
    {
        // The pre-patch freer (no lock) frees the PTE table and maps a new range, which reuses the page.
        var program = ScenarioKit.PteTableFree("reuse", (pmdp, va) =>
        {
            KnownBad.PrePatch.PmdFreePtePage(pmdp, va);
            VmapRange(va + PudSize, va + PudSize + PageSize, Phys, PageKernel, 12);
        }, WalkerKind.PlainPtdump);
        // Seeded samples (deterministic): some executions read the poison, others the page's next life as a PMD table.
        var messages = new HashSet<string>();
        for (var seed = 1; seed <= 40 && messages.Count < 2; seed++)
        {
            var r = Explorer.Explore(program, new ExploreOptions { Model = MemoryModel.Sc, Strategy = Strategy.Random, Seed = seed, RandomExecutions = 50 });
            if (r.Violation is { Kind: KernelViolations.UseAfterFree } v) messages.Add(v.Message.Contains("freed and reused", StringComparison.Ordinal) ? "reused" : "poison");
        }
        Assert.Equal(new[] { "poison", "reused" }, messages.Order());
        var exhaustive = Explorer.Explore(program, new ExploreOptions { Model = MemoryModel.Sc });
        Assert.Equal(KernelViolations.UseAfterFree, exhaustive.Violation?.Kind);
    }

    [Fact]
    public void Misaligned_range_is_rejected()
    {
        var (m, va) = Machine();
        var ex = Assert.Throws<PtGuardException>(() => m.RunSequential(() => VmapRange(va + 8, va + PageSize, Phys, PageKernel, 12)));
        Assert.Contains("not page-aligned", ex.Message, StringComparison.Ordinal);
    }
}
