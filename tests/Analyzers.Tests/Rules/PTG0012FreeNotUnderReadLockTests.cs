using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0012FreeNotUnderReadLockAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0012FreeNotUnderReadLockTests
{
    private const string FreeWithClearAndFlush = """
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
        """;

    [Fact]
    public Task Free_without_the_lock_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
        {{FreeWithClearAndFlush}}
            {|PTG0012:PteFreeKernel(table)|};
        }
        """), "b");

    [Fact]
    public Task Free_on_the_successful_trylock_branch_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            if (!MmapReadTrylock(InitMm))
                return 0;
        {{FreeWithClearAndFlush}}
            PteFreeKernel(table);
            MmapReadUnlock(InitMm);
            return 1;
        }
        """), "b");

    [Fact]
    public Task Free_after_the_unlock_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            if (!MmapReadTrylock(InitMm))
                return 0;
        {{FreeWithClearAndFlush}}
            MmapReadUnlock(InitMm);
            {|PTG0012:PteFreeKernel(table)|};
            return 1;
        }
        """), "b");

    [Fact]
    public Task Requires_lock_method_is_clean_and_its_unlocked_call_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        [RequiresLock(LockMode.Shared)]
        public static void Free(PmdPtr pmdp, ulong addr)
        {
        {{FreeWithClearAndFlush}}
            PteFreeKernel(table);
        }

        public static void Caller(PmdPtr pmdp, ulong addr) => {|PTG0012:Free(pmdp, addr)|};
        """), "b");

    [Fact]
    public Task Private_helper_whose_callers_hold_the_lock_needs_no_annotation() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        private static void Free(PmdPtr pmdp, ulong addr)
        {
        {{FreeWithClearAndFlush}}
            PteFreeKernel(table);
        }

        public static int Vmap(PmdPtr pmdp, ulong addr)
        {
            if (!MmapReadTrylock(InitMm))
                return 0;
            try
            {
                Free(pmdp, addr);
            }
            finally
            {
                MmapReadUnlock(InitMm);
            }
            return 1;
        }

        public static void Careless(PmdPtr pmdp, ulong addr) => {|PTG0012:Free(pmdp, addr)|};
        """), "b");

    [Fact]
    public Task Protocol_a_does_not_ask_for_the_held_lock() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
        {{FreeWithClearAndFlush}}
            {{Cycle}}
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime, "b");
}
