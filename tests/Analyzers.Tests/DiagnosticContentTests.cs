using Microsoft.CodeAnalysis;
using PtGuard.Analyzers.Tests.Verifiers;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.Analyzers.Tests;

/// <summary>Messages name the table, the step and the path; properties carry what a code fix needs.</summary>
public class DiagnosticContentTests
{
    private static async Task<Diagnostic> SingleAsync(string members, string protocol = "a")
    {
        var source = PtGuardTestReferences.Class(members);
        var result = await AnalyzerRunner.RunAsync(AnalyzerRunner.Compile(source), protocol);
        Assert.Empty(result.InternalErrors);
        return Assert.Single(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning));
    }

    [Fact]
    public async Task Missing_flush_carries_table_entry_address_step_positions_and_walker_key()
    {
        var d = await SingleAsync("""
            public static void Free(PmdPtr pmdp, ulong addr)
            {
                var table = PteOffsetKernel(pmdp, addr);
                PmdClear(pmdp);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }
                PteFreeKernel(table);
            }
            """);
        Assert.Equal(DiagnosticIds.MissingFlush, d.Id);
        Assert.Equal("table", d.Properties[Keys.Table]);
        Assert.Equal("pmdp", d.Properties[Keys.Entry]);
        Assert.Equal("addr", d.Properties[Keys.Address]);
        Assert.Equal(Keys.StepNames.Flush, d.Properties[Keys.Step]);
        Assert.Equal("Missing", d.Properties[Keys.Problem]);
        Assert.Equal("PtGuard.Runtime.Reference.ProtocolA", d.Properties[Keys.WalkerKeyType]);
        Assert.Equal("Arm64PtdumpLockKey", d.Properties[Keys.WalkerKeyMember]);
        var text = d.Location.SourceTree!.ToString();
        Assert.StartsWith("PmdClear(pmdp)", text.Substring(int.Parse(d.Properties[Keys.ClearPosition]!)), StringComparison.Ordinal);
        Assert.StartsWith("PteFreeKernel(table)", text.Substring(int.Parse(d.Properties[Keys.FreePosition]!)), StringComparison.Ordinal);
        Assert.StartsWith("PteOffsetKernel(pmdp, addr)", text.Substring(int.Parse(d.Properties[Keys.DerivePosition]!)), StringComparison.Ordinal);
        Assert.Contains("`table`", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("FlushTlbKernelPgtable(addr)", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_names_the_path_that_loses_the_clear()
    {
        var d = await SingleAsync("""
            public static void Free(PmdPtr pmdp, ulong addr, bool tidy)
            {
                var table = PteOffsetKernel(pmdp, addr);
                if (tidy)
                    PmdClear(pmdp);
                FlushTlbKernelPgtable(addr);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }
                PteFreeKernel(table);
            }
            """);
        Assert.Equal(DiagnosticIds.MissingClear, d.Id);
        Assert.Contains("on the path where `tidy` is false", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_names_the_condition_that_skips_the_cycle_not_the_key_off_branch()
    {
        var d = await SingleAsync("""
            public static void Free(PmdPtr pmdp, ulong addr)
            {
                var table = PteOffsetKernel(pmdp, addr);
                PmdClear(pmdp);
                FlushTlbKernelPgtable(addr);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey) && PmdPresent(PmdpGet(pmdp + 1)))
                {
                    MmapReadLock(InitMm);
                    MmapReadUnlock(InitMm);
                }
                PteFreeKernel(table);
            }
            """);
        Assert.Equal(DiagnosticIds.MissingLockCycle, d.Id);
        Assert.Contains("on the path where `PmdPresent(PmdpGet(pmdp + 1))` is false", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_names_the_early_return_that_leaves_the_key_raised()
    {
        var d = await SingleAsync("""
            public static void Dump(PtdumpState? st)
            {
                StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
                if (st is null)
                    return;
                PtdumpWalkPgd(st, InitMm);
                StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
            }
            """);
        Assert.Equal(DiagnosticIds.KeyBracketNotOnAllPaths, d.Id);
        Assert.Contains("on the path through the early return where `st is null` is true (line 10)", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nested_lock_through_the_runtime_names_init_mm()
    {
        var d = await SingleAsync("""
            public static int Vmap(PmdPtr pmd, ulong addr)
            {
                if (!MmapReadTrylock(InitMm))
                    return 0;
                var ret = ProtocolA.PmdFreePtePage(pmd, addr);
                MmapReadUnlock(InitMm);
                return ret;
            }
            """, "b");
        Assert.Equal(DiagnosticIds.NestedReadLock, d.Id);
        Assert.Contains("the read lock of `InitMm`", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_site_diagnostic_names_the_helper()
    {
        var d = await SingleAsync("""
            private static void FreeChild(PmdPtr pmdp, ulong addr)
            {
                var table = PteOffsetKernel(pmdp, addr);
                PmdClear(pmdp);
                FlushTlbKernelPgtable(addr);
                PteFreeKernel(table);
            }

            public static void Linked(PudPtr pudp, ulong addr) => FreeChild(PmdOffset(pudp, addr), addr);
            """);
        Assert.Equal(DiagnosticIds.LockFreeChildNotIsolated, d.Id);
        Assert.Equal("FreeChild", d.Properties[Keys.ViaCall]);
        Assert.Contains("(inside FreeChild)", d.GetMessage(), StringComparison.Ordinal);
        Assert.False(d.Properties.ContainsKey(Keys.FreePosition));
    }
}
