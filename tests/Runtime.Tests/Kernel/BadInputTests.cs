using PtGuard.Runtime.Memory;
using static PtGuard.Runtime.Kernel;

namespace PtGuard.Runtime.Tests.Kernel;

/// <summary>Misuse of the kernel API gets a PtGuard exception naming the object and the operation, never a silent wrong answer.</summary>
public class BadInputTests
{
    private static (KernelMachine Machine, ulong Va) Machine()
    {
        var m = new KernelMachine(new Geometry(4));
        var va = PtGuard.Runtime.Scenarios.BuiltInScenarios.VmallocStart(m.Geometry);
        m.MapPage(va, 0x8000_0000, PgProt.PageKernel);
        return (m, va);
    }

    private static PtGuardException Fails(Action body)
    {
        var (m, _) = Machine();
        return Assert.Throws<PtGuardException>(() => m.RunSequential(body));
    }

    [Fact]
    public void Kernel_call_outside_an_exploration_names_the_operation()
    {
        var ex = Assert.Throws<PtGuardException>(() => PmdClear(new PmdPtr(0x1000)));
        Assert.Contains("pmd_clear", ex.Message, StringComparison.Ordinal);
        Assert.Contains("no virtual CPU", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Misaligned_entry_pointer_is_rejected()
    {
        var (m, va) = Machine();
        var pmdp = m.PmdEntry(va);
        var ex = Assert.Throws<PtGuardException>(() => m.RunSequential(() => PmdClear(new PmdPtr(pmdp.Address.Observe() + 3))));
        Assert.Contains("not 8-byte aligned", ex.Message, StringComparison.Ordinal);
        Assert.Contains("pmd_clear", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offset_through_an_empty_entry_is_rejected()
    {
        var (m, va) = Machine();
        var pmdp = m.PmdEntry(va) + 1;
        var ex = Assert.Throws<PtGuardException>(() => m.RunSequential(() => PteOffsetKernel(pmdp, va)));
        Assert.Contains("pte_offset_kernel(pmd[1]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a table descriptor", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Freeing_a_table_twice_is_a_double_free()
    {
        var (m, va) = Machine();
        var table = new PtePtr(m.TableAt(3, va));
        var ex = Assert.Throws<PtGuardException>(() => m.RunSequential(() =>
        {
            PteFreeKernel(table);
            PteFreeKernel(table);
        }));
        Assert.Equal(KernelViolations.DoubleFree, ex.ViolationKind);
        Assert.Contains($"pte_free_kernel(pte table @0x{table.Address.Observe():x})", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Freeing_something_that_is_not_a_table_page_is_rejected()
    {
        var ex = Fails(() => PteFreeKernel(new PtePtr(0x1234_5000)));
        Assert.Contains("not the start of a page-table page", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unlock_without_lock_is_lock_misuse()
    {
        var ex = Fails(() => MmapReadUnlock(InitMm));
        Assert.Equal(KernelViolations.LockMisuse, ex.ViolationKind);
        Assert.Contains("mmap_read_unlock(init_mm)", ex.Message, StringComparison.Ordinal);
        var ex2 = Fails(() => MmapWriteUnlock(InitMm));
        Assert.Contains("does not hold init_mm's write lock", ex2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Static_key_dec_below_zero_is_an_underflow()
    {
        var key = new StaticKey("test_underflow_key");
        var ex = Fails(() => StaticBranchDec(key));
        Assert.Equal(KernelViolations.StaticKeyUnderflow, ex.ViolationKind);
        Assert.Contains("static_branch_dec(test_underflow_key)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inc_then_dec_is_fine_and_balanced()
    {
        var key = new StaticKey("test_balanced_key");
        var (m, _) = Machine();
        m.RunSequential(() =>
        {
            StaticBranchInc(key);
            Cpu.Current!.Assert(StaticBranchUnlikely(key), "key on after inc");
            StaticBranchDec(key);
            Cpu.Current!.Assert(!StaticBranchUnlikely(key), "key off after dec");
        });
    }

    [Fact]
    public void Freed_table_left_linked_is_reported_at_the_end_of_the_execution()
    {
        var (m, va) = Machine();
        var table = new PtePtr(m.TableAt(3, va));
        var ex = Assert.Throws<PtGuardException>(() => m.RunSequential(() => PteFreeKernel(table)));
        Assert.Equal(KernelViolations.FreeOfLinkedTable, ex.ViolationKind);
        Assert.Contains("still points to the freed pte table", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_geometry_is_rejected()
    {
        var ex = Assert.Throws<PtGuardException>(() => new Geometry(3));
        Assert.Contains("power of two", ex.Message, StringComparison.Ordinal);
    }
}
