using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0014NestedReadLockAnalyzer, PtGuard.CodeFixes.Rules.PTG0014NestedReadLockCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0014NestedReadLockTests
{
    /// <summary>Protocol A's lock cycle inside Protocol B's held trylock (the 2026 deadlock).</summary>
    public static readonly string Before = Class("""
        public static int HugeMap(PmdPtr pmdp, ulong addr)
        {
            if (!MmapReadTrylock(InitMm))
                return 0;
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                {|PTG0014:MmapReadLock(InitMm)|};
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
            MmapReadUnlock(InitMm);
            return 1;
        }
        """);

    public static readonly string After = Class("""
        public static int HugeMap(PmdPtr pmdp, ulong addr)
        {
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
    public Task Nested_cycle_is_dropped() => VerifyCS.VerifyCodeFixAsync(Before, After, "b");

    [Fact]
    public Task Nested_unguarded_cycle_is_dropped() => VerifyCS.VerifyCodeFixAsync(
        Before.Replace("""
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    {|PTG0014:MmapReadLock(InitMm)|};
                    MmapReadUnlock(InitMm);
                }
            """, """
                {|PTG0014:MmapReadLock(InitMm)|};
                MmapReadUnlock(InitMm);
            """), After, "b");

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var twoInOne = Class("""
            public static int HugeMapTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                if (!MmapReadTrylock(InitMm))
                    return 0;
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                {|PTG0014:MmapReadLock(InitMm)|};
                MmapReadUnlock(InitMm);
                PteFreeKernel(t1);
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                {|PTG0014:MmapReadLock(InitMm)|};
                MmapReadUnlock(InitMm);
                PteFreeKernel(t2);
                MmapReadUnlock(InitMm);
                return 1;
            }
            """, "Two");
        var fixedTwo = Class("""
            public static int HugeMapTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                if (!MmapReadTrylock(InitMm))
                    return 0;
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                PteFreeKernel(t1);
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                PteFreeKernel(t2);
                MmapReadUnlock(InitMm);
                return 1;
            }
            """, "Two");
        await new VerifyCS.Test("b") { TestState = { Sources = { twoInOne, Before } }, FixedState = { Sources = { fixedTwo, After } } }.RunAsync();
    }
}
