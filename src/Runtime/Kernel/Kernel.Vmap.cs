namespace PtGuard.Runtime;

public static partial class Kernel
{
    /// <summary>
    /// <c>vmap_try_huge_pmd</c> as the kernel had it before 2026: if the range allows a block, frees any PTE table
    /// under <paramref name="pmdp"/> with the architecture's <c>pmd_free_pte_page</c> and installs the block.
    /// </summary>
    public static int VmapTryHugePmd(PmdPtr pmdp, ulong addr, ulong end, ulong physAddr, PgProt prot, int maxPageShift)
    {
        if (maxPageShift < PmdShift || end - addr != PmdSize || (addr & (PmdSize - 1)) != 0 || (physAddr & (PmdSize - 1)) != 0) return 0;
        if (PmdPresent(PmdpGet(pmdp)) && KernelMachine.Arch.PmdFreePtePage(pmdp, addr) == 0) return 0;
        return PmdSetHuge(pmdp, physAddr, prot);
    }

    /// <summary>
    /// <c>vmap_try_huge_pud</c> as the kernel had it before 2026: frees any PMD table under <paramref name="pudp"/>
    /// with the architecture's <c>pud_free_pmd_page</c> and installs the block.
    /// </summary>
    public static int VmapTryHugePud(PudPtr pudp, ulong addr, ulong end, ulong physAddr, PgProt prot, int maxPageShift)
    {
        if (maxPageShift < PudShift || end - addr != PudSize || (addr & (PudSize - 1)) != 0 || (physAddr & (PudSize - 1)) != 0) return 0;
        if (PudPresent(PudpGet(pudp)) && KernelMachine.Arch.PudFreePmdPage(pudp, addr) == 0) return 0;
        return PudSetHuge(pudp, physAddr, prot);
    }
}
