namespace PtGuard.Runtime;

public static partial class Kernel
{
    /// <summary>
    /// <c>ptdump_walk_pgd(st, mm, NULL)</c>: takes <c>mmap_write_lock(mm)</c>, walks the tables in pre-order and
    /// notes every run of identical mappings into <paramref name="st"/>, then unlocks. It does not touch any static
    /// key: arm64 wraps it (see <c>Reference.ProtocolA.Arm64PtdumpWalkPgd</c>).
    /// </summary>
    [WalksPageTables("mm")]
    public static void PtdumpWalkPgd(PtdumpState st, MmStruct mm) => Ptdump.Walk(st, mm);

    /// <summary>
    /// <c>ptdump_check_wx()</c>, generic part: walks <c>init_mm</c> counting writable-and-executable and non-UXN kernel
    /// pages, prints the kernel's summary line and returns whether the check passed. No static key.
    /// </summary>
    [WalksPageTables]
    public static bool PtdumpCheckWx()
    {
        var st = PtdumpState.ForWxCheck();
        PtdumpWalkPgd(st, InitMm);
        return st.ReportWx();
    }
}
