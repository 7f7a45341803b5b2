using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0013TrylockResultIgnoredAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0013TrylockResultIgnoredTests
{
    [Fact]
    public Task Discarded_trylock_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            {|PTG0013:MmapReadTrylock(InitMm)|};
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
            MmapReadUnlock(InitMm);
        }
        """), "b");

    [Fact]
    public Task Trylock_kept_but_tested_only_after_the_free_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
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
        """), "b");

    [Fact]
    public Task Tested_trylock_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            var locked = MmapReadTrylock(InitMm);
            if (!locked)
                return 0;
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
            MmapReadUnlock(InitMm);
            return 1;
        }
        """), "b");

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime, "b");
}
