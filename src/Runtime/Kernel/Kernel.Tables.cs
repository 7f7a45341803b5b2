namespace PtGuard.Runtime;

public static partial class Kernel
{
    /// <summary><c>__flush_tlb_kernel_pgtable(addr)</c>: <c>DSB ISHST; TLBI VAAE1IS; DSB ISH; ISB</c>, every level including walk caches.</summary>
    [FlushesWalkCache("addr")]
    public static void FlushTlbKernelPgtable(ulong addr) => KernelMachine.FlushPgtable(addr);

    /// <summary><c>flush_tlb_kernel_range(start, end)</c>: the same barriers with <c>TLBI VAALE1IS</c> per page, last level only.</summary>
    [FlushesLeafOnly("start")]
    public static void FlushTlbKernelRange(ulong start, ulong end) => KernelMachine.FlushRangeLeaf(start, end);

    /// <summary><c>pte_free_kernel(NULL, table)</c>: returns the PTE table page to the allocator (poisoned, reusable).</summary>
    [FreesTable("table")]
    public static void PteFreeKernel(PtePtr table) => KernelMachine.FreeTable(table.Address, 3, "pte_free_kernel");

    /// <summary><c>pmd_free(NULL, table)</c>: returns the PMD table page to the allocator (poisoned, reusable).</summary>
    [FreesTable("table")]
    public static void PmdFree(PmdPtr table) => KernelMachine.FreeTable(table.Address, 2, "pmd_free");

    /// <summary><c>pud_free(NULL, table)</c>.</summary>
    [FreesTable("table")]
    public static void PudFree(PudPtr table) => KernelMachine.FreeTable(table.Address, 1, "pud_free");

    /// <summary><c>pte_alloc_one_kernel</c>: a zeroed PTE table page.</summary>
    public static PtePtr PteAllocOneKernel() => new(KernelMachine.AllocTable(3, "pte_alloc_one_kernel"));

    /// <summary><c>pmd_alloc_one</c>: a zeroed PMD table page.</summary>
    public static PmdPtr PmdAllocOne() => new(KernelMachine.AllocTable(2, "pmd_alloc_one"));

    /// <summary><c>pud_alloc_one</c>: a zeroed PUD table page.</summary>
    public static PudPtr PudAllocOne() => new(KernelMachine.AllocTable(1, "pud_alloc_one"));

    /// <summary><c>pgd_populate(mm, pgdp, table)</c> (with the p4d level folded): links a PUD table under a PGD entry.</summary>
    public static void PgdPopulate(PgdPtr pgdp, PudPtr table) =>
        KernelMachine.StoreEntry(pgdp.Address, table.Address | Descriptor.TypeTable, "pgd_populate");

    /// <summary><c>pmd_populate_kernel(mm, pmdp, table)</c>: links a PTE table under a PMD entry.</summary>
    public static void PmdPopulateKernel(PmdPtr pmdp, PtePtr table) =>
        KernelMachine.StoreEntry(pmdp.Address, table.Address | Descriptor.TypeTable, "pmd_populate_kernel");

    /// <summary><c>pud_populate(mm, pudp, table)</c>: links a PMD table under a PUD entry.</summary>
    public static void PudPopulate(PudPtr pudp, PmdPtr table) =>
        KernelMachine.StoreEntry(pudp.Address, table.Address | Descriptor.TypeTable, "pud_populate");

    /// <summary>A hardware translation of <paramref name="va"/> by this CPU's table walker, through its walk caches; returns the output address.</summary>
    public static ulong Translate(ulong va) => KernelMachine.Translate(va);
}
