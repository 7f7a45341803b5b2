using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0006MalformedLockCycleAnalyzer, PtGuard.CodeFixes.Rules.PTG0006MalformedLockCycleCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0006MalformedLockCycleTests
{
    private const string OtherKey = """

        public static class Keys
        {
            public static readonly StaticKey Other = new("other_key");
        }

        """;

    public static readonly string Before = Class(Free("""
        if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
        {
            {|PTG0006:MmapWriteLock(InitMm)|};
            MmapWriteUnlock(InitMm);
        }
        """));

    public static readonly string After = Class(Free("""
        if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }
        """));

    [Fact]
    public Task Write_lock_becomes_a_read_lock() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task Missing_unlock_is_added_right_after_the_lock() => VerifyCS.VerifyCodeFixAsync(Class(Free("""
        if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
        {
            {|PTG0006:MmapReadLock(InitMm)|};
        }
        """)), Class(Free("""
        if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }
        """)));

    [Fact]
    public Task Lock_of_another_mm_becomes_InitMm() => VerifyCS.VerifyCodeFixAsync(Class(Free("""
        if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
        {
            {|PTG0006:MmapReadLock(mm)|};
            MmapReadUnlock(mm);
        }
        """)), Class(Free("""
        if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }
        """)));

    [Fact]
    public Task Other_key_becomes_the_walker_key() => VerifyCS.VerifyCodeFixAsync(Class(Free("""
        if (StaticBranchUnlikely(Keys.Other))
        {
            {|PTG0006:MmapReadLock(InitMm)|};
            MmapReadUnlock(InitMm);
        }
        """)) + OtherKey, Class(Free("""
        if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }
        """)) + OtherKey);

    [Fact]
    public Task Work_inside_the_cycle_moves_after_it() => VerifyCS.VerifyCodeFixAsync(Class(Free("""
        if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
        {
            {|PTG0006:MmapReadLock(InitMm)|};
            VmWarnOn(false);
            MmapReadUnlock(InitMm);
        }
        """)), Class(Free("""
        if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
            VmWarnOn(false);
        }
        """)));

    [Fact]
    public Task Write_lock_under_another_key_needs_two_repairs()
    {
        var test = new VerifyCS.Test
        {
            TestCode = Class(Free("""
                if (StaticBranchUnlikely(Keys.Other))
                {
                    {|PTG0006:MmapWriteLock(InitMm)|};
                    MmapWriteUnlock(InitMm);
                }
                """)) + OtherKey,
            FixedCode = Class(Free("""
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    MmapReadLock(InitMm);
                    MmapReadUnlock(InitMm);
                }
                """)) + OtherKey,
            NumberOfIncrementalIterations = 2,
            NumberOfFixAllIterations = 1,
        };
        return test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var twoInOne = Class("""
            public static void FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    {|PTG0006:MmapWriteLock(InitMm)|};
                    MmapWriteUnlock(InitMm);
                }
                PteFreeKernel(t1);
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    {|PTG0006:MmapReadLock(InitMm)|};
                }
                PteFreeKernel(t2);
            }
            """, "Two");
        var fixedTwo = Class("""
            public static void FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    MmapReadLock(InitMm);
                    MmapReadUnlock(InitMm);
                }
                PteFreeKernel(t1);
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    MmapReadLock(InitMm);
                    MmapReadUnlock(InitMm);
                }
                PteFreeKernel(t2);
            }
            """, "Two");
        await new VerifyCS.Test { TestState = { Sources = { twoInOne, Before } }, FixedState = { Sources = { fixedTwo, After } } }.RunAsync();
    }

    /// <summary>A complete free of a PTE table with <paramref name="cycle"/> as its lock cycle.</summary>
    private static string Free(string cycle) => """
        public static void Free(PmdPtr pmdp, ulong addr, MmStruct mm)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);

        """ + string.Join("\n", cycle.Split('\n').Select(l => "    " + l)) + """

            PteFreeKernel(table);
        }
        """;
}
