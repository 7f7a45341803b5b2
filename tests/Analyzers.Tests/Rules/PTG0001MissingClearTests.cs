using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0001MissingClearAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0001MissingClearTests
{
    [Fact]
    public Task Free_without_clear_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            {|PTG0001:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task V6_sequence_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
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
    public Task Clear_of_a_different_entry_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp + 1);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            {|PTG0001:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Clear_on_one_branch_only_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr, bool tidy)
        {
            var table = PteOffsetKernel(pmdp, addr);
            if (tidy)
                PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            {|PTG0001:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Clear_inside_a_loop_that_may_not_run_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr, int n)
        {
            var table = PteOffsetKernel(pmdp, addr);
            for (var i = 0; i < n; i++)
                PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            {|PTG0001:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Clear_in_a_try_with_the_free_after_the_finally_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
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
                VmWarnOn(false);
            }
            {{Cycle}}
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Clear_done_by_a_helper_counts_at_its_call() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        private static void Unlink(PmdPtr entry) => PmdClear(entry);

        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            Unlink(pmdp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Clear_done_by_a_local_function_counts_at_its_call() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            Unlink();
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            PteFreeKernel(table);

            void Unlink() => PmdClear(pmdp);
        }
        """));

    [Fact]
    public Task Free_in_a_lambda_is_judged_in_the_lambda() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static readonly System.Action<PmdPtr, ulong> Freer = (pmdp, addr) =>
        {
            var table = PteOffsetKernel(pmdp, addr);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            {|PTG0001:PteFreeKernel(table)|};
        };
        """));

    [Fact]
    public Task Private_helper_that_frees_is_judged_at_its_call() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        private static void Release(PtePtr table) => PteFreeKernel(table);

        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            {|PTG0001:Release(table)|};
        }
        """));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
