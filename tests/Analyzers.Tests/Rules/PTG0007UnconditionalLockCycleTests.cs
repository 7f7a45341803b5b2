using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0007UnconditionalLockCycleAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0007UnconditionalLockCycleTests
{
    [Fact]
    public Task Unguarded_cycle_is_reported() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {|PTG0007:MmapReadLock(InitMm)|};
            MmapReadUnlock(InitMm);
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Guarded_cycle_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Cycle_guarded_on_one_branch_only_is_reported() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr, int mode)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (mode == 0 || StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                {|PTG0007:MmapReadLock(InitMm)|};
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Cycle_without_a_free_after_it_is_not_reported() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Wait()
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }
        """));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
