namespace PtGuard.Runtime;

/// <summary>
/// ARMv8 stage-1 descriptor bits (4 KiB granule), as <c>arch/arm64/include/asm/pgtable-hwdef.h</c> names them.
/// </summary>
public static class Descriptor
{
    /// <summary>Bit 0: valid.</summary>
    public const ulong Valid = 1UL << 0;

    /// <summary>Bit 1 at levels 0-2: table (1) or block (0); at level 3 it must be 1 for a page.</summary>
    public const ulong TableBit = 1UL << 1;

    /// <summary><c>PMD_TYPE_TABLE</c> / <c>PUD_TYPE_TABLE</c>.</summary>
    public const ulong TypeTable = Valid | TableBit;

    /// <summary><c>PMD_TYPE_SECT</c>: a block mapping.</summary>
    public const ulong TypeSect = Valid;

    /// <summary><c>PTE_TYPE_PAGE</c>.</summary>
    public const ulong TypePage = Valid | TableBit;

    /// <summary>AttrIndx[2:0] at bits 4:2 (MAIR index).</summary>
    public const ulong AttrIndxMask = 7UL << 2;

    /// <summary>NS, bit 5.</summary>
    public const ulong Ns = 1UL << 5;

    /// <summary>AP[1], bit 6: accessible from EL0 (<c>PTE_USER</c>).</summary>
    public const ulong User = 1UL << 6;

    /// <summary>AP[2], bit 7: read-only (<c>PTE_RDONLY</c>).</summary>
    public const ulong ReadOnly = 1UL << 7;

    /// <summary>SH[1:0], bits 9:8 (<c>PTE_SHARED</c> is inner shareable, 3).</summary>
    public const ulong ShMask = 3UL << 8;

    /// <summary>Inner shareable.</summary>
    public const ulong InnerShareable = 3UL << 8;

    /// <summary>AF, bit 10: access flag.</summary>
    public const ulong Af = 1UL << 10;

    /// <summary>nG, bit 11: not global.</summary>
    public const ulong NotGlobal = 1UL << 11;

    /// <summary>Contiguous hint, bit 52.</summary>
    public const ulong Cont = 1UL << 52;

    /// <summary>PXN, bit 53: privileged execute never.</summary>
    public const ulong Pxn = 1UL << 53;

    /// <summary>UXN, bit 54: unprivileged execute never.</summary>
    public const ulong Uxn = 1UL << 54;

    /// <summary>Output address bits 47:12.</summary>
    public const ulong AddressMask = 0x0000_FFFF_FFFF_F000UL;

    /// <summary>MAIR index of Normal memory (<c>MT_NORMAL</c>).</summary>
    public const int MtNormal = 0;

    /// <summary>MAIR index of Normal non-cacheable (<c>MT_NORMAL_NC</c>).</summary>
    public const int MtNormalNc = 2;

    /// <summary>MAIR index of Device-nGnRnE (<c>MT_DEVICE_nGnRnE</c>).</summary>
    public const int MtDeviceNgnrne = 3;

    /// <summary>MAIR index of Device-nGnRE (<c>MT_DEVICE_nGnRE</c>).</summary>
    public const int MtDeviceNgnre = 4;

    /// <summary>MAIR index of Normal tagged (<c>MT_NORMAL_TAGGED</c>).</summary>
    public const int MtNormalTagged = 1;
}

/// <summary>Page protection bits (<c>pgprot_t</c>): the attribute part of a leaf descriptor.</summary>
public readonly record struct PgProt(ulong Bits)
{
    /// <summary><c>PAGE_KERNEL</c>: read-write, execute-never, normal memory.</summary>
    public static PgProt PageKernel { get; } = new(Descriptor.Af | Descriptor.InnerShareable | Descriptor.Pxn | Descriptor.Uxn | ((ulong)Descriptor.MtNormal << 2));

    /// <summary><c>PAGE_KERNEL_RO</c>.</summary>
    public static PgProt PageKernelRo { get; } = new(PageKernel.Bits | Descriptor.ReadOnly);

    /// <summary><c>PAGE_KERNEL_ROX</c>: read-only, executable.</summary>
    public static PgProt PageKernelRox { get; } = new((PageKernel.Bits | Descriptor.ReadOnly) & ~Descriptor.Pxn);

    /// <summary><c>PAGE_KERNEL_EXEC</c>: writable and executable (what the W+X check flags).</summary>
    public static PgProt PageKernelExec { get; } = new(PageKernel.Bits & ~Descriptor.Pxn);
}
