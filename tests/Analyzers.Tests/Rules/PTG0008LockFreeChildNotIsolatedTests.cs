using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0008LockFreeChildNotIsolatedAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0008LockFreeChildNotIsolatedTests
{
    private const string ChildFree = """
        public static int PmdFreePteTable(PmdPtr pmdp, ulong addr, bool acquireMmapLock)
        {
            if (!PmdTable(PmdpGet(pmdp)))
                return 1;
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey) && acquireMmapLock)
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
            return 1;
        }
        """;

    private static string Parent(string before, string childCall, string after) => Class($$"""
        {{ChildFree}}

        public static void PudFreePmdTable(PudPtr pudp, ulong addr)
        {
            var table = PmdOffset(pudp, addr);
            {{before}}
            var pmdp = table;
            var next = addr;
            var end = addr + PudSize;
            do
            {
                if (PmdPresent(PmdpGet(pmdp)))
                    {{childCall}};
                pmdp++;
                next += PmdSize;
            }
            while (next != end);
            {{after}}
            PmdFree(table);
        }
        """);

    [Fact]
    public Task Lock_free_children_before_isolation_are_flagged() => VerifyCS.VerifyAnalyzerAsync(Parent(
        "", "{|PTG0008:PmdFreePteTable(pmdp, next, acquireMmapLock: false)|}", "PudClear(pudp); FlushTlbKernelPgtable(addr); " + Cycle));

    [Fact]
    public Task Lock_free_children_after_isolation_are_clean() => VerifyCS.VerifyAnalyzerAsync(Parent(
        "PudClear(pudp); FlushTlbKernelPgtable(addr); " + Cycle, "PmdFreePteTable(pmdp, next, acquireMmapLock: false)", ""));

    [Fact]
    public Task Isolation_without_the_parent_cycle_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Parent(
        "PudClear(pudp); FlushTlbKernelPgtable(addr);", "{|PTG0008:PmdFreePteTable(pmdp, next, acquireMmapLock: false)|}", Cycle));

    [Fact]
    public Task Children_with_their_own_cycle_need_no_isolation() => VerifyCS.VerifyAnalyzerAsync(Parent(
        "", "PmdFreePteTable(pmdp, next, acquireMmapLock: true)", "PudClear(pudp); FlushTlbKernelPgtable(addr); " + Cycle));

    [Fact]
    public Task Inline_child_free_of_a_linked_table_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        public static void Free(PudPtr pudp, ulong addr)
        {
            var table = PmdOffset(pudp, addr);
            var child = PteOffsetKernel(table, addr);
            PmdClear(table);
            FlushTlbKernelPgtable(addr);
            {|PTG0008:PteFreeKernel(child)|};
            PudClear(pudp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            PmdFree(table);
        }
        """));

    [Fact]
    public Task Private_helper_without_a_cycle_is_judged_at_each_call() => VerifyCS.VerifyAnalyzerAsync(Class($$"""
        private static void FreeChild(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
        }

        public static void Isolated(PudPtr pudp, ulong addr)
        {
            var table = PmdOffset(pudp, addr);
            PudClear(pudp);
            FlushTlbKernelPgtable(addr);
            {{Cycle}}
            FreeChild(table, addr);
            PmdFree(table);
        }

        public static void Linked(PudPtr pudp, ulong addr)
        {
            var table = PmdOffset(pudp, addr);
            {|PTG0008:FreeChild(table, addr)|};
        }
        """));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
