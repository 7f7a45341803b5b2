using PtGuard.Runtime;
using static PtGuard.Runtime.Kernel;

namespace Samples.Unsafe;

/// <summary>The walker key and the correct Protocol A free, which <see cref="ANestedInB"/> calls from the wrong place.</summary>
public static class Mmu
{
    /// <summary><c>DEFINE_STATIC_KEY_FALSE(arm64_ptdump_lock_key)</c>.</summary>
    [WalkerKey]
    public static readonly StaticKey Arm64PtdumpLockKey = new("arm64_ptdump_lock_key");

    /// <summary>v6 <c>pmd_free_pte_page</c>: clear, flush, key-guarded lock cycle, free.</summary>
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
        if (StaticBranchUnlikely(Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }

        PteFreeKernel(table);
        return 1;
    }
}
