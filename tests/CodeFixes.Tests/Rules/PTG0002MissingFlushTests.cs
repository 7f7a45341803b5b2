using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0002MissingFlushAnalyzer, PtGuard.CodeFixes.Rules.PTG0002MissingFlushCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0002MissingFlushTests
{
    public static readonly string Before = Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            {|PTG0002:PteFreeKernel(table)|};
        }
        """);

    public static readonly string After = Class("""
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
        """);

    [Fact]
    public Task Flush_of_the_tables_address_is_inserted_after_the_clear() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task Tabs_and_crlf_are_kept() => VerifyCS.VerifyCodeFixAsync(
        Tabs(Before), Tabs(After));

    [Fact]
    public Task Flush_of_another_address_gets_the_right_flush() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr, ulong other)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(other);
            {|PTG0002:PteFreeKernel(table)|};
        }
        """, usings: Usings), Class("""
        public static void Free(PmdPtr pmdp, ulong addr, ulong other)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            FlushTlbKernelPgtable(other);
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
                PmdClear(a);
                PmdClear(b);
                {|PTG0002:PteFreeKernel(t1)|};
                {|PTG0002:PteFreeKernel(t2)|};
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

    /// <summary>The same file indented with tabs and ending lines with CRLF.</summary>
    private static string Tabs(string source) => source.Replace("    ", "\t").Replace("\n", "\r\n");
}
