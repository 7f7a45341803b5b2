using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0001MissingClearAnalyzer, PtGuard.CodeFixes.Rules.PTG0001MissingClearCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0001MissingClearTests
{
    public static readonly string Before = Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            // flush, then wait out the walkers
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            {|PTG0001:PteFreeKernel(table)|};
        }
        """);

    public static readonly string After = Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            // flush, then wait out the walkers
            FlushTlbKernelPgtable(addr);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            PteFreeKernel(table);
        }
        """);

    [Fact]
    public Task Clear_of_the_entry_is_inserted_after_the_derivation() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task Clear_of_a_pud_entry_is_PudClear() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PudPtr pudp, ulong addr)
        {
            var table = PmdOffset(pudp, addr);
            FlushTlbKernelPgtable(addr);
            {|PTG0001:PmdFree(table)|};
        }
        """), Class("""
        public static void Free(PudPtr pudp, ulong addr)
        {
            var table = PmdOffset(pudp, addr);
            PudClear(pudp);
            FlushTlbKernelPgtable(addr);
            PmdFree(table);
        }
        """));

    [Fact]
    public Task Clear_of_another_entry_gets_the_right_clear_too() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp + 1);
            FlushTlbKernelPgtable(addr);
            {|PTG0001:PteFreeKernel(table)|};
        }
        """), Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            PmdClear(pmdp + 1);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
        }
        """));

    [Fact]
    public Task Using_static_Kernel_is_added_when_missing() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = Kernel.PteOffsetKernel(pmdp, addr);
            Kernel.FlushTlbKernelPgtable(addr);
            {|PTG0001:Kernel.PteFreeKernel(table)|};
        }
        """, usings: "using PtGuard.Runtime;\n"), Class("""
        public static void Free(PmdPtr pmdp, ulong addr)
        {
            var table = Kernel.PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            Kernel.FlushTlbKernelPgtable(addr);
            Kernel.PteFreeKernel(table);
        }
        """, usings: "using PtGuard.Runtime;\nusing static PtGuard.Runtime.Kernel;\n"));

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var twoInOne = Class("""
            public static void FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                var t1 = PteOffsetKernel(a, addr);
                var t2 = PteOffsetKernel(b, next);
                FlushTlbKernelPgtable(addr);
                FlushTlbKernelPgtable(next);
                {|PTG0001:PteFreeKernel(t1)|};
                {|PTG0001:PteFreeKernel(t2)|};
            }
            """, "Two");
        var fixedTwo = Class("""
            public static void FreeTwo(PmdPtr a, PmdPtr b, ulong addr, ulong next)
            {
                var t1 = PteOffsetKernel(a, addr);
                PmdClear(a);
                var t2 = PteOffsetKernel(b, next);
                PmdClear(b);
                FlushTlbKernelPgtable(addr);
                FlushTlbKernelPgtable(next);
                PteFreeKernel(t1);
                PteFreeKernel(t2);
            }
            """, "Two");
        await new VerifyCS.Test { TestState = { Sources = { twoInOne, Before } }, FixedState = { Sources = { fixedTwo, After } } }.RunAsync();
    }
}
