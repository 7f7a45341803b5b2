using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0012FreeNotUnderReadLockAnalyzer, PtGuard.CodeFixes.Rules.PTG0012FreeNotUnderReadLockCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0012FreeNotUnderReadLockTests
{
    public static readonly string Before = Class("""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            if (!PmdTable(PmdpGet(pmdp)))
                return 1;
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {|PTG0012:PteFreeKernel(table)|};
            return 1;
        }
        """);

    public static readonly string After = Class("""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            if (!PmdTable(PmdpGet(pmdp)))
                return 1;
            if (!MmapReadTrylock(InitMm))
                return 0;
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
            MmapReadUnlock(InitMm);
            return 1;
        }
        """);

    [Fact]
    public Task Free_is_wrapped_in_a_trylock_held_region() => VerifyCS.VerifyCodeFixAsync(Before, After, "b");

    [Fact]
    public Task Call_of_a_helper_that_requires_the_lock_is_wrapped() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void HugeMap(PmdPtr pmdp, ulong addr)
        {
            {|PTG0012:ProtocolB.PmdFreePtePage(pmdp, addr)|};
        }
        """), Class("""
        public static void HugeMap(PmdPtr pmdp, ulong addr)
        {
            if (!MmapReadTrylock(InitMm))
                return;
            ProtocolB.PmdFreePtePage(pmdp, addr);
            MmapReadUnlock(InitMm);
        }
        """), "b");

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var twoInOne = Class("""
            public static bool FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                {|PTG0012:PteFreeKernel(t1)|};
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                {|PTG0012:PteFreeKernel(t2)|};
                return true;
            }
            """, "Two");
        var fixedTwo = Class("""
            public static bool FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                if (!MmapReadTrylock(InitMm))
                    return false;
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                PteFreeKernel(t1);
                MmapReadUnlock(InitMm);
                if (!MmapReadTrylock(InitMm))
                    return false;
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                PteFreeKernel(t2);
                MmapReadUnlock(InitMm);
                return true;
            }
            """, "Two");
        await new VerifyCS.Test("b") { TestState = { Sources = { twoInOne, Before } }, FixedState = { Sources = { fixedTwo, After } } }.RunAsync();
    }
}
