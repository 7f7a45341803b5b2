namespace PtGuard.Analyzers.Tests.Rules;

/// <summary>Statements the rule tests assemble freeing paths from.</summary>
internal static class Snippets
{
    public const string Cycle = "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }";

    /// <summary>Runtime-free look-alikes: the same names, but not PtGuard.Runtime's annotated API.</summary>
    public const string WithoutRuntime = """
        public struct PmdPtr { }
        public struct PtePtr { }

        public static class LookAlike
        {
            public static PtePtr PteOffsetKernel(PmdPtr pmdp, ulong addr) => default;
            public static void PteFreeKernel(PtePtr table) { }
            public static void StaticBranchEnable(object key) { }
            public static void MmapReadLock(object mm) { }

            public static void Free(PmdPtr pmdp, ulong addr)
            {
                var table = PteOffsetKernel(pmdp, addr);
                MmapReadLock(null!);
                MmapReadLock(null!);
                StaticBranchEnable(null!);
                PteFreeKernel(table);
            }
        }
        """;
}
