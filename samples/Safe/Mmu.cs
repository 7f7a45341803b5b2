using PtGuard.Runtime;
using static PtGuard.Runtime.Kernel;

namespace Samples.Safe;

/// <summary>
/// arch/arm64/mm/mmu.c after "arm64: Enable vmalloc-huge with ptdump" (v6, Linux 6.18), copied from
/// PtGuard.Runtime.Reference.ProtocolA: clear, flush every level, key-guarded lock cycle, free.
/// </summary>
public static class Mmu
{
    /// <summary><c>DEFINE_STATIC_KEY_FALSE(arm64_ptdump_lock_key)</c>: raised by every walker (see <see cref="Ptdump"/>).</summary>
    [WalkerKey]
    public static readonly StaticKey Arm64PtdumpLockKey = new("arm64_ptdump_lock_key");

    /// <summary><c>__pmd_free_pte_page(pmdp, addr, acquire_mmap_lock)</c>.</summary>
    public static int PmdFreePteTable(PmdPtr pmdp, ulong addr, bool acquireMmapLock)
    {
        PtePtr table;
        Pmd pmd;

        pmd = PmdpGet(pmdp);

        if (!PmdTable(pmd))
        {
            VmWarnOn(true);
            return 1;
        }

        /* See comment in pud_free_pmd_page for static key logic */
        table = PteOffsetKernel(pmdp, addr);
        PmdClear(pmdp);
        FlushTlbKernelPgtable(addr);
        if (StaticBranchUnlikely(Arm64PtdumpLockKey) && acquireMmapLock)
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }

        PteFreeKernel(table);
        return 1;
    }

    /// <summary><c>pmd_free_pte_page(pmdp, addr)</c>.</summary>
    public static int PmdFreePtePage(PmdPtr pmdp, ulong addr)
    {
        /* If ptdump is walking the pagetables, acquire init_mm.mmap_lock */
        return PmdFreePteTable(pmdp, addr, acquireMmapLock: true);
    }

    /// <summary><c>pud_free_pmd_page(pudp, addr)</c>: isolates the PMD table first, then frees its PTE tables without the lock.</summary>
    public static int PudFreePmdPage(PudPtr pudp, ulong addr)
    {
        PmdPtr table;
        PmdPtr pmdp;
        Pud pud;
        ulong next, end;

        pud = PudpGet(pudp);

        if (!PudTable(pud))
        {
            VmWarnOn(true);
            return 1;
        }

        table = PmdOffset(pudp, addr);

        /*
         * Clear and flush the PUD entry first; if a walker has raised the key, wait for it (or order the
         * clear before its next walk) with one lock cycle. The PMD table is then isolated.
         */
        PudClear(pudp);
        FlushTlbKernelPgtable(addr);
        if (StaticBranchUnlikely(Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }

        pmdp = table;
        next = addr;
        end = addr + PudSize;
        do
        {
            if (PmdPresent(PmdpGet(pmdp)))
            {
                /*
                 * PMD has been isolated, so ptdump won't see it. No
                 * need to acquire init_mm.mmap_lock.
                 */
                PmdFreePteTable(pmdp, next, acquireMmapLock: false);
            }

            pmdp++;
            next += PmdSize;
        }
        while (next != end);

        PmdFree(table);
        return 1;
    }
}
