using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0008LockFreeChildNotIsolatedAnalyzer, PtGuard.CodeFixes.Rules.PTG0008LockFreeChildNotIsolatedCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0008LockFreeChildNotIsolatedTests
{
    /// <summary>v6's <c>__pmd_free_pte_page</c>, in the compilation so that its body is analysed at each call.</summary>
    private const string Helper = """
        public static int PmdFreePteTable(PmdPtr pmdp, ulong addr, bool acquireMmapLock)
        {
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

    /// <summary>The children are freed lock-free before the PMD table is isolated (its PUD entry is cleared after the loop).</summary>
    public static readonly string Before = Class(Helper + """
        public static void FreePmdTable(PudPtr pudp, ulong addr)
        {
            var table = PmdOffset(pudp, addr);
            var pmdp = table;
            var next = addr;
            var end = addr + PudSize;
            do
            {
                if (PmdPresent(PmdpGet(pmdp)))
                    {|PTG0008:PmdFreePteTable(pmdp, next, acquireMmapLock: false)|};
                pmdp++;
                next += PmdSize;
            }
            while (next != end);
            PudClear(pudp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PmdFree(table);
        }
        """);

    public static readonly string After = Before.Replace("{|PTG0008:PmdFreePteTable(pmdp, next, acquireMmapLock: false)|}", "PmdFreePteTable(pmdp, next, acquireMmapLock: true)");

    [Fact]
    public Task Child_free_takes_its_own_cycle() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task Positional_false_becomes_true() => VerifyCS.VerifyCodeFixAsync(
        Before.Replace("acquireMmapLock: false", "false"),
        After.Replace("acquireMmapLock: true", "true"));

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var twoInOne = Class(Helper + """
            public static void FreeTwoChildren(PudPtr pudp, ulong addr)
            {
                var table = PmdOffset(pudp, addr);
                {|PTG0008:PmdFreePteTable(table, addr, false)|};
                {|PTG0008:PmdFreePteTable(table + 1, addr + PmdSize, false)|};
                PudClear(pudp);
                FlushTlbKernelPgtable(addr);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    MmapReadLock(InitMm);
                    MmapReadUnlock(InitMm);
                }
                PmdFree(table);
            }
            """, "Two");
        var fixedTwo = twoInOne.Replace("{|PTG0008:", "").Replace("false)|}", "true)");
        await new VerifyCS.Test { TestState = { Sources = { twoInOne, Before } }, FixedState = { Sources = { fixedTwo, After } } }.RunAsync();
    }
}
