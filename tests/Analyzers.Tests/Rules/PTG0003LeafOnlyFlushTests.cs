using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0003LeafOnlyFlushAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0003LeafOnlyFlushTests
{
    [Fact]
    public Task Leaf_only_flush_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelRange(addr, addr + PmdSize);
            {{Cycle}}
            {|PTG0003:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Walk_cache_flush_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelRange(addr, addr + PmdSize);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Leaf_only_flush_on_one_branch_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr, int level)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            if (level > 2)
                FlushTlbKernelRange(addr, addr + PmdSize);
            else
                FlushTlbKernelPgtable(addr);
            {{Cycle}}
            {|PTG0003:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Leaf_only_flush_inside_a_helper_is_flagged_at_the_free() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        private static void Invalidate(ulong a) => FlushTlbKernelRange(a, a + PageSize);

        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            Invalidate(addr);
            {{Cycle}}
            {|PTG0003:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
