using PtGuard.Runtime;
using static PtGuard.Runtime.Kernel;

namespace Samples.Unsafe;

/// <summary>
/// v5 of the patch: the walker switches the key with enable/disable. When ptdump and check_wx overlap, the first to
/// finish switches the key off under the second, and the freer skips the lock cycle (<c>ptguard explore v5-enable-disable</c>).
/// </summary>
public static class V5EnableDisable
{
    /// <summary>v5 <c>arm64_ptdump_walk_pgd</c>.</summary>
    public static void Arm64PtdumpWalkPgd(PtdumpState st, MmStruct mm)
    {
        StaticBranchEnable(Mmu.Arm64PtdumpLockKey);
        PtdumpWalkPgd(st, mm);
        StaticBranchDisable(Mmu.Arm64PtdumpLockKey);
    }
}
