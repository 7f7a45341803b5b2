using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0003LeafOnlyFlushAnalyzer, PtGuard.CodeFixes.Rules.PTG0003LeafOnlyFlushCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0003LeafOnlyFlushTests
{
    public static readonly string Before = Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelRange(addr, addr + PmdSize); /* leaf only */
            {|PTG0003:PteFreeKernel(table)|};
        }
        """);

    public static readonly string After = Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr); /* leaf only */
            PteFreeKernel(table);
        }
        """);

    [Fact]
    public Task Leaf_only_flush_becomes_a_walk_cache_flush() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task Qualified_call_keeps_its_qualifier() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            Kernel.FlushTlbKernelRange(addr, addr + PageSize);
            {|PTG0003:PteFreeKernel(table)|};
        }
        """), Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            Kernel.FlushTlbKernelPgtable(addr);
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
                FlushTlbKernelRange(addr, addr + PmdSize);
                PmdClear(b);
                FlushTlbKernelRange(next, next + PmdSize);
                {|PTG0003:PteFreeKernel(t1)|};
                {|PTG0003:PteFreeKernel(t2)|};
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
