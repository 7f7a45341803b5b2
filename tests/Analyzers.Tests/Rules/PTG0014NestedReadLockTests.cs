using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0014NestedReadLockAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0014NestedReadLockTests
{
    [Fact]
    public Task Read_lock_taken_twice_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Twice()
        {
            MmapReadLock(InitMm);
            {|PTG0014:MmapReadLock(InitMm)|};
            MmapReadUnlock(InitMm);
            MmapReadUnlock(InitMm);
        }
        """));

    [Fact]
    public Task Sequential_read_locks_are_clean() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Twice()
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }
        """));

    [Fact]
    public Task Protocol_a_cycle_inside_a_held_trylock_is_flagged_at_the_call() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void FreePte(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            PteFreeKernel(table);
        }

        public static int Vmap(PmdPtr pmdp, ulong addr)
        {
            if (!MmapReadTrylock(InitMm))
                return 0;
            {|PTG0014:FreePte(pmdp, addr)|};
            MmapReadUnlock(InitMm);
            return 1;
        }
        """), "b");

    [Fact]
    public Task Runtime_protocol_a_free_inside_a_held_trylock_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static int VmapTryHugePmd(PmdPtr pmd, ulong addr)
        {
            if (!MmapReadTrylock(InitMm))
                return 0;
            var ret = {|PTG0014:ProtocolA.PmdFreePtePage(pmd, addr)|};
            MmapReadUnlock(InitMm);
            return ret;
        }

        public static int Isolated(PmdPtr pmd, ulong addr)
        {
            if (!MmapReadTrylock(InitMm))
                return 0;
            var ret = ProtocolA.PmdFreePteTable(pmd, addr, acquireMmapLock: false);
            MmapReadUnlock(InitMm);
            return ret;
        }
        """), "b");

    [Fact]
    public Task Nested_lock_in_a_requires_lock_method_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        [RequiresLock(LockMode.Shared)]
        public static void Held()
        {
            {|PTG0014:MmapReadLock(InitMm)|};
            MmapReadUnlock(InitMm);
        }
        """));

    [Fact]
    public Task Trylock_while_held_does_not_block() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Twice()
        {
            MmapReadLock(InitMm);
            if (MmapReadTrylock(InitMm))
                MmapReadUnlock(InitMm);
            MmapReadUnlock(InitMm);
        }
        """));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
