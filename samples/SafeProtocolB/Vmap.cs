using PtGuard.Runtime;
using static PtGuard.Runtime.Kernel;

namespace Samples.SafeProtocolB;

/// <summary>
/// Protocol B, "held-across" (Linux, July 2026, "mm: fix UAF caused by race between ptdump and vmap pgtable
/// freeing"): the generic <c>vmap_try_huge_*</c> holds <c>mmap_read_trylock(&amp;init_mm)</c> across both the free and
/// the block install, and does not go huge when the trylock fails. No static key; arm64's own lock cycle was
/// reverted in the same series, so its freeing functions are back to clear, flush, free.
/// </summary>
public static class Vmap
{
    /// <summary><c>vmap_try_huge_pmd</c> after the fix.</summary>
    public static int VmapTryHugePmd(PmdPtr pmd, ulong addr, ulong end, ulong physAddr, PgProt prot, int maxPageShift)
    {
        if (maxPageShift < PmdShift)
            return 0;
        if (end - addr != PmdSize)
            return 0;
        if ((addr & (PmdSize - 1)) != 0)
            return 0;
        if ((physAddr & (PmdSize - 1)) != 0)
            return 0;

        if (PmdPresent(PmdpGet(pmd)))
        {
            int ret;

            /* ptdump walks under mmap_write_lock(&init_mm): never free a table under it. */
            if (!MmapReadTrylock(InitMm))
                return 0;
            ret = PmdFreePtePage(pmd, addr);
            if (ret != 0)
                ret = PmdSetHuge(pmd, physAddr, prot);
            MmapReadUnlock(InitMm);
            return ret;
        }

        return PmdSetHuge(pmd, physAddr, prot);
    }

    /// <summary><c>vmap_try_huge_pud</c> after the fix.</summary>
    public static int VmapTryHugePud(PudPtr pud, ulong addr, ulong end, ulong physAddr, PgProt prot, int maxPageShift)
    {
        if (maxPageShift < PudShift)
            return 0;
        if (end - addr != PudSize)
            return 0;
        if ((addr & (PudSize - 1)) != 0)
            return 0;
        if ((physAddr & (PudSize - 1)) != 0)
            return 0;

        if (PudPresent(PudpGet(pud)))
        {
            int ret;

            if (!MmapReadTrylock(InitMm))
                return 0;
            ret = PudFreePmdPage(pud, addr);
            if (ret != 0)
                ret = PudSetHuge(pud, physAddr, prot);
            MmapReadUnlock(InitMm);
            return ret;
        }

        return PudSetHuge(pud, physAddr, prot);
    }

    /// <summary>arm64 <c>pmd_free_pte_page</c> after the revert: clear, flush, free; the caller holds the read lock.</summary>
    [RequiresLock(LockMode.Shared)]
    public static int PmdFreePtePage(PmdPtr pmdp, ulong addr)
    {
        PtePtr table;
        Pmd pmd;

        pmd = PmdpGet(pmdp);

        if (!PmdTable(pmd))
        {
            VmWarnOn(true);
            return 1;
        }

        table = PteOffsetKernel(pmdp, addr);
        PmdClear(pmdp);
        FlushTlbKernelPgtable(addr);
        PteFreeKernel(table);
        return 1;
    }

    /// <summary>arm64 <c>pud_free_pmd_page</c> after the revert: isolate the PMD table, free its PTE tables, free it.</summary>
    [RequiresLock(LockMode.Shared)]
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
        PudClear(pudp);
        FlushTlbKernelPgtable(addr);

        pmdp = table;
        next = addr;
        end = addr + PudSize;
        do
        {
            if (PmdPresent(PmdpGet(pmdp)))
                PmdFreePtePage(pmdp, next);
            pmdp++;
            next += PmdSize;
        }
        while (next != end);

        PmdFree(table);
        return 1;
    }
}
