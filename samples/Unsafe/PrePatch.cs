using PtGuard.Runtime;
using static PtGuard.Runtime.Kernel;

namespace Samples.Unsafe;

/// <summary>
/// arm64 before the patch: no lock cycle at all, and pud_free_pmd_page frees the PTE tables while the PMD table is
/// still linked (the PUD is cleared last). A use-after-free under any memory model (<c>ptguard explore prepatch</c>).
/// </summary>
public static class PrePatch
{
    /// <summary>Pre-patch <c>pmd_free_pte_page</c>: clear, flush, free.</summary>
    public static int PmdFreePtePage(PmdPtr pmdp, ulong addr)
    {
        PtePtr table;
        Pmd pmd;

        pmd = PmdpGet(pmdp);
        if (!PmdTable(pmd))
            return 1;

        table = PteOffsetKernel(pmdp, addr);
        PmdClear(pmdp);
        FlushTlbKernelPgtable(addr);
        PteFreeKernel(table);
        return 1;
    }

    /// <summary>Pre-patch <c>pud_free_pmd_page</c>: children first, the PUD cleared last.</summary>
    public static int PudFreePmdPage(PudPtr pudp, ulong addr)
    {
        PmdPtr table;
        PmdPtr pmdp;
        Pud pud;
        ulong next, end;

        pud = PudpGet(pudp);
        if (!PudTable(pud))
            return 1;

        table = PmdOffset(pudp, addr);
        pmdp = table;
        next = addr;
        end = addr + PudSize;
        do
        {
            PmdFreePtePage(pmdp, next);
            pmdp++;
            next += PmdSize;
        }
        while (next != end);

        PudClear(pudp);
        FlushTlbKernelPgtable(addr);
        PmdFree(table);
        return 1;
    }
}
