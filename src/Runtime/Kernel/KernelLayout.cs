namespace PtGuard.Runtime;

/// <summary>
/// Where the kernel model keeps things in emulated memory. Fixed, so that witnesses replay across processes.
/// Table pages come from a pool after the kernel data area; everything is identity-mapped (the "physical"
/// address in a descriptor is the emulated address of the page).
/// </summary>
internal static class KernelLayout
{
    public const ulong StaticKeyBase = 0x0010_0000;
    public const ulong StaticKeySlots = 4096;
    public const ulong MmBase = 0x0020_0000;
    public const int MmSlots = 64;
    public const ulong PageMetaBase = 0x0030_0000;
    public const ulong WalkCacheBase = 0x0040_0000;
    public const ulong TablePoolBase = 0x0100_0000;
    public const int TablePoolPages = 4096;

    /// <summary>Value written over every entry of a freed table page (as the kernel's page poisoning would).</summary>
    public const ulong Poison = 0xdead_4ead_0000_0000UL;
}
