using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0005StepsOutOfOrderAnalyzer, PtGuard.CodeFixes.Rules.PTG0005StepsOutOfOrderCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0005StepsOutOfOrderTests
{
    /// <summary>KnownBad.CycleBeforeFlush: the key test before the flush.</summary>
    public static readonly string Before = Class("""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            FlushTlbKernelPgtable(addr); // orders the clear before the key test
            {|PTG0005:PteFreeKernel(table)|};
            return 1;
        }
        """);

    public static readonly string After = Class("""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr); // orders the clear before the key test
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
            return 1;
        }
        """);

    [Fact]
    public Task Cycle_before_the_flush_moves_after_it() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task Free_first_moves_to_the_end_in_three_steps()
    {
        var test = new VerifyCS.Test
        {
            TestCode = Class("""
                public static void Free(PmdPtr pmdp, ulong addr)
                {
                    var table = PteOffsetKernel(pmdp, addr);
                    {|PTG0005:PteFreeKernel(table)|};
                    PmdClear(pmdp);
                    FlushTlbKernelPgtable(addr);
                    if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                    {
                        MmapReadLock(InitMm);
                        MmapReadUnlock(InitMm);
                    }
                }
                """),
            FixedCode = Class("""
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
                """),
            NumberOfIncrementalIterations = 3,
            NumberOfFixAllIterations = 1,
        };
        return test.RunAsync();
    }

    [Fact]
    public Task Flush_before_the_clear_moves_after_it() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            FlushTlbKernelPgtable(addr);
            PmdClear(pmdp);
            {|PTG0005:PteFreeKernel(table)|};
        }
        """), Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
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
                var t2 = PteOffsetKernel(b, next);
                FlushTlbKernelPgtable(addr);
                FlushTlbKernelPgtable(next);
                PmdClear(a);
                PmdClear(b);
                {|PTG0005:PteFreeKernel(t1)|};
                {|PTG0005:PteFreeKernel(t2)|};
            }
            """, "Two");
        var fixedTwo = Class("""
            public static void FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                var t1 = PteOffsetKernel(a, addr);
                var t2 = PteOffsetKernel(b, next);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                PteFreeKernel(t1);
                PteFreeKernel(t2);
            }
            """, "Two");
        await new VerifyCS.Test { TestState = { Sources = { twoInOne, Before } }, FixedState = { Sources = { fixedTwo, After } } }.RunAsync();
    }
}
