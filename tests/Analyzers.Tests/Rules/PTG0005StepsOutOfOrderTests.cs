using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0005StepsOutOfOrderAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0005StepsOutOfOrderTests
{
    [Fact]
    public Task Cycle_before_flush_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            {{Cycle}}
            FlushTlbKernelPgtable(addr);
            {|PTG0005:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Pmd_table_freed_before_its_pte_tables_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        // The mutation experiment's A19: pud_free_pmd_page with `PmdFree(table)` moved before the child loop, which
        // then reads and clears entries of the freed PMD table (the explorer: use-after-free on arm64).
        public static void Free(PudPtr pudp, ulong addr)
        {
            var table = PmdOffset(pudp, addr);
            PudClear(pudp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            var pmdp = table;
            var next = addr;
            {|PTG0005:PmdFree(table)|};
            do
            {
                if (PmdPresent(PmdpGet(pmdp)))
                {
                    FreePte(pmdp, next);
                }
                pmdp++;
                next += PmdSize;
            }
            while (next != addr + PudSize);
        }

        private static void FreePte(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Flush_before_clear_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            FlushTlbKernelPgtable(addr);
            PmdClear(pmdp);
            {{Cycle}}
            {|PTG0005:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Cycle_before_clear_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            {{Cycle}}
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {|PTG0005:PteFreeKernel(table)|};
        }
        """));

    [Fact]
    public Task Free_before_the_cycle_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {|PTG0005:PteFreeKernel(table)|};
            {{Cycle}}
        }
        """));

    [Fact]
    public Task Free_before_the_clear_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            {|PTG0005:PteFreeKernel(table)|};
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
        }
        """));

    [Fact]
    public Task Table_derived_after_the_clear_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            {|PTG0005:PteFreeKernel(PteOffsetKernel(pmdp, addr))|};
        }
        """));

    [Fact]
    public Task Table_derived_again_after_a_derivation_after_the_clear_is_still_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        private static void Probe(PmdPtr pmdp, ulong addr)
        {
            var other = PteOffsetKernel(pmdp, addr);
        }

        public static void Free(PmdPtr pmdp, ulong addr)
        {
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            Probe(pmdp, addr);
            {|PTG0005:PteFreeKernel(PteOffsetKernel(pmdp, addr))|};
        }
        """));

    [Fact]
    public Task Flush_after_the_free_in_a_helper_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        private static void Settle(ulong a)
        {
            FlushTlbKernelPgtable(a);
            {{Cycle}}
        }

        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            {|PTG0005:PteFreeKernel(table)|};
            Settle(addr);
        }
        """));

    [Fact]
    public Task Unguarded_cycle_before_the_flush_is_in_order() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
