using PtGuard.Runtime;
using static PtGuard.Runtime.Kernel;

namespace Samples.Unsafe;

/// <summary>
/// The key test and lock cycle before the flush. Safe under sequential consistency; on ARMv8 nothing orders the
/// clear before the key load, so the freer can read "key off" while ptdump reads the old entry
/// (<c>ptguard explore cycle-before-flush --model arm64</c>).
/// </summary>
public static class CycleBeforeFlush
{
    /// <summary>The misordered <c>__pmd_free_pte_page</c>.</summary>
    public static int PmdFreePteTable(PmdPtr pmdp, ulong addr)
    {
        PtePtr table;
        Pmd pmd;

        pmd = PmdpGet(pmdp);
        if (!PmdTable(pmd))
            return 1;

        table = PteOffsetKernel(pmdp, addr);
        PmdClear(pmdp);
        if (StaticBranchUnlikely(Mmu.Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }
        FlushTlbKernelPgtable(addr);
        PteFreeKernel(table);
        return 1;
    }
}
