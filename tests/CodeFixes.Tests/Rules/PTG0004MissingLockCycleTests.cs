using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0004MissingLockCycleAnalyzer, PtGuard.CodeFixes.Rules.PTG0004MissingLockCycleCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0004MissingLockCycleTests
{
    public static readonly string Before = Class("""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);

            // the table goes back to the allocator
            {|PTG0004:PteFreeKernel(table)|};
            return 1;
        }
        """);

    public static readonly string After = Class("""
        public static int Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }

            // the table goes back to the allocator
            PteFreeKernel(table);
            return 1;
        }
        """);

    [Fact]
    public Task Keyed_cycle_is_inserted_before_the_free() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task The_compilations_own_walker_key_is_used() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {|PTG0004:PteFreeKernel(table)|};
        }
        """) + """

        public static class MyKeys
        {
            [WalkerKey]
            public static readonly StaticKey PtdumpKey = new("my_ptdump_key");
        }

        """, Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(MyKeys.PtdumpKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
        }
        """) + """

        public static class MyKeys
        {
            [WalkerKey]
            public static readonly StaticKey PtdumpKey = new("my_ptdump_key");
        }

        """);

    [Fact]
    public Task Namespace_of_the_key_is_imported_when_missing() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            {|PTG0004:PteFreeKernel(table)|};
        }
        """, usings: "using PtGuard.Runtime;\nusing static PtGuard.Runtime.Kernel;\n"), Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
        }
        """, usings: "using PtGuard.Runtime;\nusing static PtGuard.Runtime.Kernel;\nusing PtGuard.Runtime.Reference;\n"));

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var twoInOne = Class("""
            public static void FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                FlushTlbKernelPgtable(addr);
                {|PTG0004:PteFreeKernel(t1)|};
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(next);
                {|PTG0004:PteFreeKernel(t2)|};
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
}
