using PtGuard.Runtime;
using static PtGuard.Runtime.Kernel;

namespace Samples.Unsafe;

/// <summary>
/// A last-level-only flush (flush_tlb_kernel_range, TLBI VAALE1IS) before freeing a table: the walk cache keeps its
/// pointer to the freed PTE table and the hardware walker reads through it (<c>ptguard explore hw-leaf-only-flush</c>).
/// </summary>
public static class LeafOnlyFlush
{
    /// <summary><c>pmd_free_pte_page</c> with a leaf-only flush.</summary>
    public static int PmdFreePtePage(PmdPtr pmdp, ulong addr)
    {
        PtePtr table;
        Pmd pmd;

        pmd = PmdpGet(pmdp);
        if (!PmdTable(pmd))
            return 1;

        table = PteOffsetKernel(pmdp, addr);
        PmdClear(pmdp);
        FlushTlbKernelRange(addr, addr + PmdSize);
        if (StaticBranchUnlikely(Mmu.Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }
        PteFreeKernel(table);
        return 1;
    }
}
