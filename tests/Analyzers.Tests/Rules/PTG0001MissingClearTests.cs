using PtGuard.Analyzers.Rules;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0001MissingClearAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0001MissingClearTests
{
    [Fact]
    public Task Free_without_clear_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }
            {|PTG0001:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task V6_sequence_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }
            PteFreeKernel(table);
        }
        """));
}
