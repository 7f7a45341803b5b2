using PtGuard.Runtime;
using static PtGuard.Runtime.Kernel;

namespace Samples.Safe;

/// <summary>arch/arm64/mm/ptdump.c after v6: every walk of init_mm raises the counted walker key around it.</summary>
public static class Ptdump
{
    /// <summary><c>arm64_ptdump_walk_pgd(st, mm)</c>.</summary>
    public static void Arm64PtdumpWalkPgd(PtdumpState st, MmStruct mm)
    {
        StaticBranchInc(Mmu.Arm64PtdumpLockKey);
        PtdumpWalkPgd(st, mm);
        StaticBranchDec(Mmu.Arm64PtdumpLockKey);
    }

    /// <summary><c>ptdump_check_wx()</c>: the W+X walk, through <see cref="Arm64PtdumpWalkPgd"/>.</summary>
    public static bool PtdumpCheckWx()
    {
        var st = PtdumpState.ForWxCheck();
        Arm64PtdumpWalkPgd(st, InitMm);
        return st.ReportWx();
    }
}
