using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0002MissingFlushAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0002MissingFlushTests
{
    [Fact]
    public Task Free_without_flush_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            {{Cycle}}
            {|PTG0002:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Flush_of_another_address_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr + PmdSize);
            {{Cycle}}
            {|PTG0002:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Flush_on_one_branch_only_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            if (PmdPresent(PmdpGet(pmdp + 1)))
                FlushTlbKernelPgtable(addr);
            {{Cycle}}
            {|PTG0002:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Early_return_before_the_derivation_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            if (!PmdTable(PmdpGet(pmdp)))
                return 1;
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            PteFreeKernel(table);
            return 1;
        }
        """));

    [Fact]
    public Task Flush_and_cycle_in_a_helper_count_at_its_call() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        private static void FlushAndWait(ulong a)
        {
            FlushTlbKernelPgtable(a);
            {{Cycle}}
        }

        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushAndWait(addr);
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Flush_in_a_loop_over_the_table_is_clean_when_the_loop_always_runs() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            var tries = 0;
            do
            {
                FlushTlbKernelPgtable(addr);
                tries++;
            }
            while (tries < 2);
            {{Cycle}}
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
