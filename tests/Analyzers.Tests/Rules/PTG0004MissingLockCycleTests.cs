using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0004MissingLockCycleAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0004MissingLockCycleTests
{
    [Fact]
    public Task Wrappers_locking_init_mm_by_annotation_alone_make_the_cycle() => VerifyCS.VerifyAnalyzerAsync(Class("""
        [AcquiresLock(LockMode.Shared)]
        static void LockKernelMm() => MmapReadLock(InitMm);

        [ReleasesLock(LockMode.Shared)]
        static void UnlockKernelMm() => MmapReadUnlock(InitMm);

        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                LockKernelMm();
                UnlockKernelMm();
            }
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Free_without_cycle_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {|PTG0004:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Cycle_on_one_branch_only_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (PmdPresent(PmdpGet(pmdp + 1)))
            {
                {{Cycle}}
            }
            {|PTG0004:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Cycle_in_a_loop_that_may_not_run_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr, int rounds)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            for (var i = 0; i < rounds; i++)
            {
                {{Cycle}}
            }
            {|PTG0004:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Goto_past_the_cycle_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr, int mode)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (mode == 1)
                goto free;
            {{Cycle}}
        free:
            {|PTG0004:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Cycle_in_a_finally_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            try
            {
                PmdClear(pmdp);
                FlushTlbKernelPgtable(addr);
            }
            finally
            {
                {{Cycle}}
            }
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Key_test_kept_in_a_local_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            var walking = StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey);
            if (walking)
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Parameter_controlled_cycle_is_judged_at_the_calls() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void FreeTable(PmdPtr pmdp, ulong addr, bool acquireMmapLock)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey) && acquireMmapLock)
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
        }

        public static void Free(PmdPtr pmdp, ulong addr) => FreeTable(pmdp, addr, acquireMmapLock: true);
        """));

    [Fact]
    public Task Cycle_done_by_a_local_function_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            WaitForWalkers();
            PteFreeKernel(table);

            static void WaitForWalkers()
            {
                {{Cycle}}
            }
        }
        """));

    [Fact]
    public Task Protocol_b_does_not_ask_for_the_cycle() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
        }
        """), "b");

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
