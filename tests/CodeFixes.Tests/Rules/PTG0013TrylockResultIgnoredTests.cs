using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0013TrylockResultIgnoredAnalyzer, PtGuard.CodeFixes.Rules.PTG0013TrylockResultIgnoredCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0013TrylockResultIgnoredTests
{
    public static readonly string Before = Class("""
        public static int HugeMap(PmdPtr pmdp, ulong addr)
        {
            {|PTG0013:MmapReadTrylock(InitMm)|};
            ProtocolB.PmdFreePtePage(pmdp, addr);
            MmapReadUnlock(InitMm);
            return 1;
        }
        """);

    public static readonly string After = Class("""
        public static int HugeMap(PmdPtr pmdp, ulong addr)
        {
            if (!MmapReadTrylock(InitMm))
                return 0;
            ProtocolB.PmdFreePtePage(pmdp, addr);
            MmapReadUnlock(InitMm);
            return 1;
        }
        """);

    [Fact]
    public Task Ignored_trylock_is_tested() => VerifyCS.VerifyCodeFixAsync(Before, After, "b");

    [Fact]
    public Task Stored_but_untested_result_is_tested_after_the_store() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var locked = {|PTG0013:MmapReadTrylock(InitMm)|};
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
            if (locked)
                MmapReadUnlock(InitMm);
        }
        """), Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var locked = MmapReadTrylock(InitMm);
            if (!locked)
                return;
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
            if (locked)
                MmapReadUnlock(InitMm);
        }
        """), "b");

    [Fact]
    public Task Trylock_in_a_finally_clause_gets_no_fix_since_a_return_cannot_leave_it()
    {
        // Found by FuzzTests: the fix gave `if (!MmapReadTrylock(InitMm)) return;` inside a finally (CS0157).
        var source = Class("""
            public static void Free(PmdPtr pmdp, ulong addr)
            {
                try
                {
                    VmWarnOn(false);
                }
                finally
                {
                    {|PTG0013:MmapReadTrylock(InitMm)|};
                }
            }
            """);
        return VerifyCS.VerifyCodeFixAsync(source, source, "b");
    }

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var twoInOne = Class("""
            public static int HugeMapTwo(PmdPtr a, PmdPtr b, ulong addr)
            {
                {|PTG0013:MmapReadTrylock(InitMm)|};
                ProtocolB.PmdFreePtePage(a, addr);
                MmapReadUnlock(InitMm);
                {|PTG0013:MmapReadTrylock(InitMm)|};
                ProtocolB.PmdFreePtePage(b, addr + PmdSize);
                MmapReadUnlock(InitMm);
                return 1;
            }
            """, "Two");
        var fixedTwo = Class("""
            public static int HugeMapTwo(PmdPtr a, PmdPtr b, ulong addr)
            {
                if (!MmapReadTrylock(InitMm))
                    return 0;
                ProtocolB.PmdFreePtePage(a, addr);
                MmapReadUnlock(InitMm);
                if (!MmapReadTrylock(InitMm))
                    return 0;
                ProtocolB.PmdFreePtePage(b, addr + PmdSize);
                MmapReadUnlock(InitMm);
                return 1;
            }
            """, "Two");
        await new VerifyCS.Test("b") { TestState = { Sources = { twoInOne, Before } }, FixedState = { Sources = { fixedTwo, After } } }.RunAsync();
    }
}
