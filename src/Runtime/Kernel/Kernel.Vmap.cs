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

    /// <summary>
    /// <c>vmap_range_noflush(addr, end, phys_addr, prot, max_page_shift)</c> of <c>mm/vmalloc.c</c>: maps
    /// [<paramref name="addr"/>, <paramref name="end"/>) to <paramref name="physAddr"/> in <c>init_mm</c>, allocating
    /// missing tables, and at each PUD and PMD entry first tries a block (<see cref="VmapTryHugePud"/>,
    /// <see cref="VmapTryHugePmd"/>), which frees the table the entry pointed to. Returns 0.
    /// </summary>
    public static int VmapRange(ulong addr, ulong end, ulong physAddr, PgProt prot, int maxPageShift)
    {
        if (end <= addr || (addr & (PageSize - 1)) != 0 || (end & (PageSize - 1)) != 0 || (physAddr & (PageSize - 1)) != 0)
        {
            throw new PtGuardException($"vmap_range(0x{addr:x}, 0x{end:x}, 0x{physAddr:x}): the range is empty or not page-aligned.");
        }
        var pgd = PgdOffsetK(addr);
        do
        {
            var next = AddrEnd(addr, end, PgdirSize);
            VmapPudRange(pgd, addr, next, physAddr, prot, maxPageShift);
            pgd++;
            physAddr += next - addr;
            addr = next;
        }
        while (addr != end);
        return 0;
    }

    private static void VmapPudRange(PgdPtr pgd, ulong addr, ulong end, ulong physAddr, PgProt prot, int maxPageShift)
    {
        // pud_alloc_track: a PUD table under the PGD entry, allocated if there is none.
        if (PgdNone(PgdpGet(pgd))) PgdPopulate(pgd, PudAllocOne());
        var pud = PudOffset(pgd, addr);
        do
        {
            var next = AddrEnd(addr, end, PudSize);
            if (VmapTryHugePud(pud, addr, next, physAddr, prot, maxPageShift) == 0) VmapPmdRange(pud, addr, next, physAddr, prot, maxPageShift);
            pud++;
            physAddr += next - addr;
            addr = next;
        }
        while (addr != end);
    }

    private static void VmapPmdRange(PudPtr pud, ulong addr, ulong end, ulong physAddr, PgProt prot, int maxPageShift)
    {
        if (PudNone(PudpGet(pud))) PudPopulate(pud, PmdAllocOne());
        var pmd = PmdOffset(pud, addr);
        do
        {
            var next = AddrEnd(addr, end, PmdSize);
            if (VmapTryHugePmd(pmd, addr, next, physAddr, prot, maxPageShift) == 0) VmapPteRange(pmd, addr, next, physAddr, prot);
            pmd++;
            physAddr += next - addr;
            addr = next;
        }
        while (addr != end);
    }

    private static void VmapPteRange(PmdPtr pmd, ulong addr, ulong end, ulong physAddr, PgProt prot)
    {
        if (PmdNone(PmdpGet(pmd))) PmdPopulateKernel(pmd, PteAllocOneKernel());
        var pte = PteOffsetKernel(pmd, addr);
        do
        {
            SetPte(pte, MkPte(physAddr, prot));
            pte++;
            physAddr += PageSize;
            addr += PageSize;
        }
        while (addr != end);
    }

    // pgd_addr_end / pud_addr_end / pmd_addr_end: the end of this entry's range, or end if sooner.
    private static ulong AddrEnd(ulong addr, ulong end, ulong size)
    {
        var boundary = (addr + size) & ~(size - 1);
        return boundary - 1 < end - 1 ? boundary : end;
    }
}
