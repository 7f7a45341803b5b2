using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0007UnconditionalLockCycleAnalyzer, PtGuard.CodeFixes.Rules.PTG0007UnconditionalLockCycleCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0007UnconditionalLockCycleTests
{
    public static readonly string Before = Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            // wait out any walker
            {|PTG0007:MmapReadLock(InitMm)|};
            MmapReadUnlock(InitMm);
            PteFreeKernel(table);
        }
        """);

    public static readonly string After = Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            // wait out any walker
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
        }
        """);

    [Fact]
    public Task Cycle_after_the_flush_is_guarded_in_place() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task Cycle_before_the_flush_is_guarded_and_moved_after_it() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            {|PTG0007:MmapReadLock(InitMm)|};
            MmapReadUnlock(InitMm);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
        }
        """), Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var twoInOne = Class("""
            public static void FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                {|PTG0007:MmapReadLock(InitMm)|};
                MmapReadUnlock(InitMm);
                PteFreeKernel(t1);
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                {|PTG0007:MmapReadLock(InitMm)|};
                MmapReadUnlock(InitMm);
                PteFreeKernel(t2);
            }
            """, "Two");
        var fixedTwo = Class("""
            public static void FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    MmapReadLock(InitMm);
                    MmapReadUnlock(InitMm);
                }
                PteFreeKernel(t1);
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    MmapReadLock(InitMm);
                    MmapReadUnlock(InitMm);
                }
                PteFreeKernel(t2);
            }
            """, "Two");
        await new VerifyCS.Test { TestState = { Sources = { twoInOne, Before } }, FixedState = { Sources = { fixedTwo, After } } }.RunAsync();
    }
}
