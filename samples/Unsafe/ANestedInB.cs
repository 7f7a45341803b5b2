using PtGuard.Runtime;
using static PtGuard.Runtime.Kernel;

namespace Samples.Unsafe;

/// <summary>
/// Protocol A inside Protocol B: the 2026 generic caller holds init_mm's read lock across the free, and the arm64
/// callee still does its lock cycle. With ptdump queued as a writer, the nested read lock waits behind the writer,
/// which waits for the first read lock: deadlock (<c>ptguard explore held-across-plus-cycle</c>).
/// </summary>
public static class ANestedInB
{
    /// <summary>Protocol B's <c>vmap_try_huge_pmd</c> calling Protocol A's <c>pmd_free_pte_page</c>.</summary>
    public static int VmapTryHugePmd(PmdPtr pmd, ulong addr, ulong end, ulong physAddr, PgProt prot, int maxPageShift)
    {
        if (maxPageShift < PmdShift || end - addr != PmdSize || (addr & (PmdSize - 1)) != 0 || (physAddr & (PmdSize - 1)) != 0)
            return 0;

        if (PmdPresent(PmdpGet(pmd)))
        {
            int ret;

            if (!MmapReadTrylock(InitMm))
                return 0;
            ret = Mmu.PmdFreePtePage(pmd, addr);
            if (ret != 0)
                ret = PmdSetHuge(pmd, physAddr, prot);
            MmapReadUnlock(InitMm);
            return ret;
        }

        return PmdSetHuge(pmd, physAddr, prot);
    }
}
