using PtGuard.Runtime.Litmus;
using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Litmus;

/// <summary>The merged kernel patch's own litmus test and the instruction-fetch rule it needs.</summary>
public class IfetchTests
{
    private static string PtdumpV6 => File.ReadAllText(Path.Combine(LitmusCorpus.Root, "kernel", "ptdump-v6.litmus"));

    [Fact]
    public void Ptdump_v6_litmus_from_the_kernel_commit_is_forbidden_on_arm64()
    {
        var r = LitmusRunner.Run(LitmusParser.Parse(PtdumpV6, "ptdump-v6.litmus"), MemoryModel.Arm64);
        Assert.Equal("Forbidden", r.Verdict);
        Assert.True(r.Executions > 0);
        Assert.Equal(r.Executions, r.Distinct);
    }

    [Fact]
    public void Ptdump_v6_is_forbidden_under_sc()
    {
        var r = LitmusRunner.Run(LitmusParser.Parse(PtdumpV6, "ptdump-v6.litmus"), MemoryModel.Sc);
        Assert.Equal("Forbidden", r.Verdict);
    }

    [Fact]
    public void Ptdump_v6_without_the_icache_maintenance_is_allowed_a_stale_fetch_skips_the_lock()
    {
        // Drop DC CVAU and IC IVAU from the static_key_enable side: the freer may go on fetching the old branch.
        var text = PtdumpV6.Replace(" DC\tCVAU,X0\t\t\t|", " NOP\t\t\t\t|").Replace(" IC\tIVAU,X0\t\t\t|", " NOP\t\t\t\t|");
        Assert.DoesNotContain("IVAU", text);
        var r = LitmusRunner.Run(LitmusParser.Parse(text, "ptdump-v6-no-ic.litmus"), MemoryModel.Arm64);
        Assert.Equal("Allowed", r.Verdict);
        var fetch = Assert.Single(r.Witness!.Events, e => e.Has("InstructionFetch"));
        Assert.Equal("init", fetch.ReadsFrom);
    }

    [Fact]
    public void Ptdump_v6_freer_can_fetch_the_patched_nop_and_take_the_lock_path()
    {
        // 1:X8 = 1 only if P1 executed its SWPA, i.e. fetched the NOP that P0 wrote over "B out1".
        var i = PtdumpV6.IndexOf("exists", StringComparison.Ordinal);
        var r = LitmusRunner.Run(LitmusParser.Parse(PtdumpV6[..i] + "exists (1:X8=1)", "ptdump-v6-key-on.litmus"), MemoryModel.Arm64);
        Assert.Equal("Allowed", r.Verdict);
        var fetch = Assert.Single(r.Witness!.Events, e => e.Has("InstructionFetch"));
        Assert.Equal(LitmusParser.NopEncoding, fetch.Value);
    }
}
