using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime;

public static partial class Kernel
{
    /// <summary><c>READ_ONCE(*pgdp)</c>.</summary>
    public static Pgd PgdpGet(PgdPtr pgdp) => new(KernelMachine.LoadEntry(pgdp.Address, "pgdp_get"));

    /// <summary><c>READ_ONCE(*pudp)</c> / <c>pudp_get</c>.</summary>
    public static Pud PudpGet(PudPtr pudp) => new(KernelMachine.LoadEntry(pudp.Address, "pudp_get"));

    /// <summary><c>READ_ONCE(*pmdp)</c> / <c>pmdp_get</c>.</summary>
    public static Pmd PmdpGet(PmdPtr pmdp) => new(KernelMachine.LoadEntry(pmdp.Address, "pmdp_get"));

    /// <summary><c>READ_ONCE(*ptep)</c> / <c>ptep_get</c>.</summary>
    public static Pte PtepGet(PtePtr ptep) => new(KernelMachine.LoadEntry(ptep.Address, "ptep_get"));

    /// <summary><c>pgd_offset_k(addr)</c>: the PGD entry of <c>init_mm</c> for <paramref name="addr"/>.</summary>
    public static PgdPtr PgdOffsetK(ulong addr) => PgdOffset(InitMm, addr);

    /// <summary><c>pgd_offset(mm, addr)</c>.</summary>
    public static PgdPtr PgdOffset(MmStruct mm, ulong addr)
    {
        ArgumentNullException.ThrowIfNull(mm);
        var root = KernelMachine.LoadField(mm.PgdFieldAddress, $"{mm.Name}.pgd");
        return new PgdPtr(root + (ulong)(KernelMachine.CurrentGeometry.IndexAt(0, addr) * 8));
    }

    /// <summary><c>pud_offset(pgdp, addr)</c>: loads the PGD entry and points into the PUD table it names.</summary>
    [TableOf("pgdp", Address = "addr")]
    public static PudPtr PudOffset(PgdPtr pgdp, ulong addr) => new(KernelMachine.ChildEntry(pgdp.Address, 1, addr, "pud_offset"));

    /// <summary><c>pmd_offset(pudp, addr)</c>: loads the PUD entry and points into the PMD table it names.</summary>
    [TableOf("pudp", Address = "addr")]
    public static PmdPtr PmdOffset(PudPtr pudp, ulong addr) => new(KernelMachine.ChildEntry(pudp.Address, 2, addr, "pmd_offset"));

    /// <summary><c>pte_offset_kernel(pmdp, addr)</c>: loads the PMD entry and points into the PTE table it names.</summary>
    [TableOf("pmdp", Address = "addr")]
    public static PtePtr PteOffsetKernel(PmdPtr pmdp, ulong addr) => new(KernelMachine.ChildEntry(pmdp.Address, 3, addr, "pte_offset_kernel"));

    /// <summary><c>pmd_clear(pmdp)</c>: a plain store of zero, no barrier.</summary>
    [ClearsEntry("pmdp")]
    public static void PmdClear(PmdPtr pmdp) => KernelMachine.StoreEntry(pmdp.Address, 0, "pmd_clear");

    /// <summary><c>pud_clear(pudp)</c>: a plain store of zero, no barrier.</summary>
    [ClearsEntry("pudp")]
    public static void PudClear(PudPtr pudp) => KernelMachine.StoreEntry(pudp.Address, 0, "pud_clear");

    /// <summary><c>pte_clear(NULL, addr, ptep)</c>.</summary>
    [ClearsEntry("ptep")]
    public static void PteClear(PtePtr ptep) => KernelMachine.StoreEntry(ptep.Address, 0, "pte_clear");

    /// <summary><c>set_pmd(pmdp, pmd)</c>.</summary>
    public static void SetPmd(PmdPtr pmdp, Pmd pmd) => KernelMachine.StoreEntry(pmdp.Address, pmd.Value, "set_pmd");

    /// <summary><c>set_pud(pudp, pud)</c>.</summary>
    public static void SetPud(PudPtr pudp, Pud pud) => KernelMachine.StoreEntry(pudp.Address, pud.Value, "set_pud");

    /// <summary><c>set_pte(ptep, pte)</c>.</summary>
    public static void SetPte(PtePtr ptep, Pte pte) => KernelMachine.StoreEntry(ptep.Address, pte.Value, "set_pte");

    /// <summary><c>pmd_set_huge(pmdp, phys, prot)</c>: installs a PMD block mapping; returns 1.</summary>
    public static int PmdSetHuge(PmdPtr pmdp, ulong phys, PgProt prot)
    {
        KernelMachine.StoreEntry(pmdp.Address, (phys & Descriptor.AddressMask) | prot.Bits | Descriptor.TypeSect, "pmd_set_huge");
        return 1;
    }

    /// <summary><c>pud_set_huge(pudp, phys, prot)</c>: installs a PUD block mapping; returns 1.</summary>
    public static int PudSetHuge(PudPtr pudp, ulong phys, PgProt prot)
    {
        KernelMachine.StoreEntry(pudp.Address, (phys & Descriptor.AddressMask) | prot.Bits | Descriptor.TypeSect, "pud_set_huge");
        return 1;
    }

    /// <summary><c>pgd_none</c>.</summary>
    public static bool PgdNone(Pgd pgd) => pgd.Value.IsZero;

    /// <summary><c>pgd_present</c>.</summary>
    public static bool PgdPresent(Pgd pgd) => pgd.Value.HasAny(Descriptor.Valid);

    /// <summary><c>pud_none</c>.</summary>
    public static bool PudNone(Pud pud) => pud.Value.IsZero;

    /// <summary><c>pud_present</c>.</summary>
    public static bool PudPresent(Pud pud) => pud.Value.HasAny(Descriptor.Valid);

    /// <summary><c>pud_table</c>: a valid table descriptor.</summary>
    public static bool PudTable(Pud pud) => (pud.Value.Observe() & Descriptor.TypeTable) == Descriptor.TypeTable;

    /// <summary><c>pud_leaf</c> / <c>pud_sect</c>: a valid block descriptor.</summary>
    public static bool PudLeaf(Pud pud) => (pud.Value.Observe() & Descriptor.TypeTable) == Descriptor.TypeSect;

    /// <summary><c>pmd_none</c>.</summary>
    public static bool PmdNone(Pmd pmd) => pmd.Value.IsZero;

    /// <summary><c>pmd_present</c>.</summary>
    public static bool PmdPresent(Pmd pmd) => pmd.Value.HasAny(Descriptor.Valid);

    /// <summary><c>pmd_table</c>: a valid table descriptor.</summary>
    public static bool PmdTable(Pmd pmd) => (pmd.Value.Observe() & Descriptor.TypeTable) == Descriptor.TypeTable;

    /// <summary><c>pmd_leaf</c> / <c>pmd_sect</c>: a valid block descriptor.</summary>
    public static bool PmdLeaf(Pmd pmd) => (pmd.Value.Observe() & Descriptor.TypeTable) == Descriptor.TypeSect;

    /// <summary><c>pte_none</c>.</summary>
    public static bool PteNone(Pte pte) => pte.Value.IsZero;

    /// <summary><c>pte_present</c>.</summary>
    public static bool PtePresent(Pte pte) => pte.Value.HasAny(Descriptor.Valid);

    /// <summary><c>pfn_pte(pfn, prot)</c>-style page descriptor for physical address <paramref name="phys"/>.</summary>
    public static Pte MkPte(ulong phys, PgProt prot) => new((phys & Descriptor.AddressMask) | prot.Bits | Descriptor.TypePage);
}
