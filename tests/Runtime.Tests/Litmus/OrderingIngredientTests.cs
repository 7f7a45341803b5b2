using PtGuard.Runtime.Litmus;
using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Litmus;

/// <summary>
/// One test per ordering ingredient of aarch64.cat: each shows the outcome the ingredient forbids and one it
/// still allows (the limit of what it orders). Every pair differs only in the ingredient or its placement.
/// </summary>
public class OrderingIngredientTests
{
    private const string XY = "0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; 1:X6=z;";

    /// <summary>A two-thread litmus text from the two columns.</summary>
    private static string Two(string name, string[] p0, string[] p1, string condition, string init = XY)
    {
        var rows = Enumerable.Range(0, Math.Max(p0.Length, p1.Length))
            .Select(i => $" {(i < p0.Length ? p0[i] : ""),-20} | {(i < p1.Length ? p1[i] : ""),-20} ;");
        return $"AArch64 {name}\n{{\n{init}\n}}\n P0 | P1 ;\n{string.Join("\n", rows)}\nexists ({condition})\n";
    }

    private static string Verdict(string text) => LitmusRunner.Run(LitmusParser.Parse(text, "inline.litmus"), MemoryModel.Arm64).Verdict;

    private static readonly string[] WriterDmb = { "MOV W0,#1", "STR W0,[X1]", "DMB SY", "MOV W2,#1", "STR W2,[X3]" };
    private const string MpOutcome = "1:X0=1 /\\ 1:X4=0";
    private const string SbOutcome = "0:X2=0 /\\ 1:X2=0";
    private const string LbOutcome = "0:X0=1 /\\ 1:X0=1";

    private static string[] SbSide(string barrier) => barrier.Length == 0
        ? new[] { "MOV W0,#1", "STR W0,[X1]", "LDR W2,[X3]" }
        : new[] { "MOV W0,#1", "STR W0,[X1]", barrier, "LDR W2,[X3]" };

    private static string[] LbSide(string barrier) => new[] { "LDR W0,[X1]", barrier, "MOV W2,#1", "STR W2,[X3]" };

    [Theory]
    [InlineData("DMB SY")]
    [InlineData("DMB ISH")]
    [InlineData("DSB SY")]
    [InlineData("DSB ISH")]
    public void Full_barrier_forbids_SB_on_both_sides_but_one_side_alone_allows_it(string barrier)
    {
        Assert.Equal("Forbidden", Verdict(Two("SB+fulls", SbSide(barrier), SbSide(barrier), SbOutcome)));
        Assert.Equal("Allowed", Verdict(Two("SB+full+po", SbSide(barrier), SbSide(""), SbOutcome)));
    }

    [Theory]
    [InlineData("DMB LD")]
    [InlineData("DMB ISHLD")]
    [InlineData("DSB LD")]
    public void Load_barrier_orders_read_to_read_but_not_write_to_read(string barrier)
    {
        Assert.Equal("Forbidden", Verdict(Two("MP+dmb.sy+ld", WriterDmb, new[] { "LDR W0,[X1]", barrier, "LDR W4,[X3]" }, MpOutcome)));
        Assert.Equal("Allowed", Verdict(Two("SB+lds", SbSide(barrier), SbSide(barrier), SbOutcome)));
    }

    [Fact]
    public void Dmb_st_orders_write_to_write_but_not_write_to_read_nor_read_to_write()
    {
        var writer = new[] { "MOV W0,#1", "STR W0,[X1]", "DMB ST", "MOV W2,#1", "STR W2,[X3]" };
        Assert.Equal("Forbidden", Verdict(Two("MP+dmb.st+dmb.ld", writer, new[] { "LDR W0,[X1]", "DMB LD", "LDR W4,[X3]" }, MpOutcome)));
        Assert.Equal("Allowed", Verdict(Two("SB+dmb.sts", SbSide("DMB ST"), SbSide("DMB ST"), SbOutcome)));
        Assert.Equal("Allowed", Verdict(Two("LB+dmb.sts", LbSide("DMB ST"), LbSide("DMB ST"), LbOutcome)));
    }

    [Fact]
    public void Dsb_st_orders_a_write_before_everything_after_but_not_an_earlier_read()
    {
        // Unlike DMB ST, DSB ST also orders a write before later reads (herd7 L041).
        Assert.Equal("Forbidden", Verdict(Two("SB+dsb.sts", SbSide("DSB ST"), SbSide("DSB ST"), SbOutcome)));
        Assert.Equal("Allowed", Verdict(Two("LB+dsb.sts", LbSide("DSB ST"), LbSide("DSB ST"), LbOutcome)));
    }

    [Fact]
    public void Isb_after_a_control_dependency_orders_a_later_read_an_isb_alone_does_not()
    {
        Assert.Equal("Forbidden", Verdict(Two("MP+dmb.sy+ctrl-isb", WriterDmb, new[] { "LDR W0,[X1]", "CBNZ W0,L0", "L0:", "ISB", "LDR W4,[X3]" }, MpOutcome)));
        Assert.Equal("Allowed", Verdict(Two("MP+dmb.sy+isb", WriterDmb, new[] { "LDR W0,[X1]", "ISB", "LDR W4,[X3]" }, MpOutcome)));
    }

    [Fact]
    public void Acquire_orders_later_accesses_but_not_an_earlier_plain_store()
    {
        Assert.Equal("Forbidden", Verdict(Two("MP+dmb.sy+acq", WriterDmb, new[] { "LDAR W0,[X1]", "LDR W4,[X3]" }, MpOutcome)));
        Assert.Equal("Allowed", Verdict(Two("SB+dmb.sy+po-acq", SbSide("DMB SY"), new[] { "MOV W0,#1", "STR W0,[X1]", "LDAR W2,[X3]" }, SbOutcome)));
    }

    [Fact]
    public void AcquirePC_orders_later_accesses_but_not_after_an_earlier_release()
    {
        Assert.Equal("Forbidden", Verdict(Two("MP+dmb.sy+acqpc", WriterDmb, new[] { "LDAPR W0,[X1]", "LDR W4,[X3]" }, MpOutcome)));
        Assert.Equal("Allowed", Verdict(Two("SB+dmb.sy+rel-acqpc", SbSide("DMB SY"), new[] { "MOV W0,#1", "STLR W0,[X1]", "LDAPR W2,[X3]" }, SbOutcome)));
        // The same with LDAR is forbidden: [L]; po; [A].
        Assert.Equal("Forbidden", Verdict(Two("SB+dmb.sy+rel-acq", SbSide("DMB SY"), new[] { "MOV W0,#1", "STLR W0,[X1]", "LDAR W2,[X3]" }, SbOutcome)));
    }

    [Fact]
    public void Release_orders_earlier_accesses_but_not_later_ones()
    {
        var addrReader = new[] { "LDR W0,[X1]", "EOR W2,W0,W0", "LDR W4,[X3,W2,SXTW]" };
        Assert.Equal("Forbidden", Verdict(Two("MP+rel+addr", new[] { "MOV W0,#1", "STR W0,[X1]", "MOV W2,#1", "STLR W2,[X3]" }, addrReader, MpOutcome)));
        Assert.Equal("Allowed", Verdict(Two("SB+dmb.sy+rel-po", SbSide("DMB SY"), new[] { "MOV W0,#1", "STLR W0,[X1]", "LDR W2,[X3]" }, SbOutcome)));
    }

    [Fact]
    public void Address_dependency_orders_the_dependent_read_but_not_a_later_independent_one()
    {
        Assert.Equal("Forbidden", Verdict(Two("MP+dmb.sy+addr", WriterDmb, new[] { "LDR W0,[X1]", "EOR W2,W0,W0", "LDR W4,[X3,W2,SXTW]" }, MpOutcome)));
        Assert.Equal("Allowed", Verdict(Two("MP+dmb.sy+addr-po", WriterDmb, new[] { "LDR W0,[X1]", "EOR W2,W0,W0", "LDR W5,[X6,W2,SXTW]", "LDR W4,[X3]" }, MpOutcome)));
    }

    [Fact]
    public void Data_dependency_orders_the_dependent_write_but_not_a_later_read()
    {
        var dataSide = new[] { "LDR W0,[X1]", "EOR W2,W0,W0", "ADD W2,W2,#1", "STR W2,[X3]" };
        Assert.Equal("Forbidden", Verdict(Two("LB+datas", dataSide, dataSide, LbOutcome)));
        Assert.Equal("Allowed", Verdict(Two("MP+dmb.sy+data-po", WriterDmb, new[] { "LDR W0,[X1]", "STR W0,[X6]", "LDR W4,[X3]" }, MpOutcome)));
    }

    [Fact]
    public void Control_dependency_orders_a_later_write_but_not_a_later_read_without_isb()
    {
        var ctrlSide = new[] { "LDR W0,[X1]", "CMP W0,#1", "B.EQ L0", "L0:", "MOV W2,#1", "STR W2,[X3]" };
        Assert.Equal("Forbidden", Verdict(Two("LB+ctrls", ctrlSide, ctrlSide, LbOutcome)));
        Assert.Equal("Allowed", Verdict(Two("MP+dmb.sy+ctrl", WriterDmb, new[] { "LDR W0,[X1]", "CMP W0,#1", "B.EQ L0", "L0:", "LDR W4,[X3]" }, MpOutcome)));
    }

    [Fact]
    public void Rmw_atomicity_two_increments_never_both_read_zero_one_may()
    {
        const string init = "0:X2=x; 0:X1=1; 1:X2=x; 1:X1=1;";
        var inc = new[] { "LDADD X1,X0,[X2]" };
        Assert.Equal("Forbidden", Verdict(Two("LDADD2", inc, inc, "0:X0=0 /\\ 1:X0=0", init)));
        Assert.Equal("Allowed", Verdict(Two("LDADD2", inc, inc, "0:X0=0 /\\ 1:X0=1 /\\ x=2", init)));
        Assert.Equal("Forbidden", Verdict(Two("LDADD2", inc, inc, "~x=2", init)));
    }

    [Fact]
    public void Exclusive_pair_is_atomic_when_both_succeed_and_a_store_exclusive_may_fail()
    {
        const string init = "0:X1=x; 1:X1=x;";
        var inc = new[] { "LDXR W0,[X1]", "ADD W2,W0,#1", "STXR W3,W2,[X1]" };
        Assert.Equal("Forbidden", Verdict(Two("LDXR2", inc, inc, "0:X0=0 /\\ 1:X0=0 /\\ 0:X3=0 /\\ 1:X3=0", init)));
        Assert.Equal("Allowed", Verdict(Two("LDXR2", inc, inc, "0:X0=0 /\\ 1:X0=1 /\\ 0:X3=0 /\\ 1:X3=0 /\\ x=2", init)));
        Assert.Equal("Allowed", Verdict(Two("LDXR2", inc, inc, "0:X3=1 /\\ 1:X3=1 /\\ x=0", init)));
        Assert.Equal("Forbidden", Verdict(Two("LDXR2", inc, inc, "0:X3=0 /\\ 1:X3=0 /\\ ~x=2", init)));
    }

    [Fact]
    public void Dependency_through_memory_data_then_local_read_orders_but_a_constant_store_does_not()
    {
        // data; lrs; addr: the read of z takes its dependency from the stored value (aarch64deps.cat: lrs in dtrm).
        Assert.Equal("Forbidden", Verdict(Two("MP+dmb.sy+data-lrs-addr", WriterDmb,
            new[] { "LDR W0,[X1]", "STR W0,[X6]", "LDR W5,[X6]", "EOR W2,W5,W5", "LDR W4,[X3,W2,SXTW]" }, MpOutcome)));
        Assert.Equal("Allowed", Verdict(Two("MP+dmb.sy+po-lrs-addr", WriterDmb,
            new[] { "LDR W0,[X1]", "MOV W7,#1", "STR W7,[X6]", "LDR W5,[X6]", "EOR W2,W5,W5", "LDR W4,[X3,W2,SXTW]" }, MpOutcome)));
    }
}
