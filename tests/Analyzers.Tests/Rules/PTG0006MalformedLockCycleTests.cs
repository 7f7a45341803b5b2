using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0006MalformedLockCycleAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0006MalformedLockCycleTests
{
    private static string Freeing(string cycle, string extra = "") => Class($$"""
        {{extra}}
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {{cycle}}
            PteFreeKernel(table);
        }
        """);

    [Fact]
    public Task Write_lock_cycle_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Freeing(
        "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { {|PTG0006:MmapWriteLock(InitMm)|}; MmapWriteUnlock(InitMm); }"));

    [Fact]
    public Task Cycle_guarded_by_another_key_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Freeing(
        "if (StaticBranchUnlikely(OtherKey)) { {|PTG0006:MmapReadLock(InitMm)|}; MmapReadUnlock(InitMm); }",
        "private static readonly StaticKey OtherKey = new(\"other_key\");"));

    [Fact]
    public Task Cycle_of_another_mm_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Freeing(
        "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { {|PTG0006:MmapReadLock(OtherMm)|}; MmapReadUnlock(OtherMm); }",
        "private static readonly MmStruct OtherMm = new(\"other_mm\", 1);"));

    [Fact]
    public Task Work_inside_the_cycle_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Freeing(
        "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { {|PTG0006:MmapReadLock(InitMm)|}; VmWarnOn(false); MmapReadUnlock(InitMm); }"));

    [Fact]
    public Task Lock_without_unlock_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Freeing(
        "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { {|PTG0006:MmapReadLock(InitMm)|}; }"));

    [Fact]
    public Task Unlock_without_lock_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Freeing(
        "if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { {|PTG0006:MmapReadUnlock(InitMm)|}; }"));

    [Fact]
    public Task Unlock_skipped_by_an_early_return_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {|PTG0006:MmapReadLock(InitMm)|};
            if (!PmdTable(PmdpGet(pmdp + 1)))
                return 0;
            MmapReadUnlock(InitMm);
            PteFreeKernel(table);
            return 1;
        }
        """));

    [Fact]
    public Task Malformed_cycle_in_a_helper_is_flagged_at_the_call() => VerifyCS.VerifyAnalyzerAsync(Freeing(
        "{|PTG0006:WaitForWalkers()|};",
        "private static readonly StaticKey OtherKey = new(\"other_key\");\nprivate static void WaitForWalkers() { if (StaticBranchUnlikely(OtherKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); } }"));

    [Fact]
    public Task Well_formed_cycle_is_clean() => VerifyCS.VerifyAnalyzerAsync(Freeing(Cycle));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
