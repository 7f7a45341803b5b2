using PtGuard.Runtime.Litmus;
using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Litmus;

/// <summary>Under <c>--model sc</c> the classic shapes' weak outcomes are forbidden and their interleaving outcomes allowed.</summary>
public class ScShapeTests
{
    /// <summary>Shape file, its weak (non-SC) outcome's verdict on arm64, and an outcome some interleaving gives.</summary>
    public static TheoryData<string, bool, string> Shapes() => new()
    {
        { "corpus/aarch64/SB.litmus", true, "0:X2=1 /\\ 1:X2=0" },
        { "corpus/aarch64/MP.litmus", true, "1:X0=0 /\\ 1:X2=1" },
        { "corpus/aarch64/LB.litmus", true, "0:X0=1 /\\ 1:X0=0" },
        { "corpus/aarch64/2+2W.litmus", true, "x=1 /\\ y=1" },
        { "corpus/aarch64/R.litmus", true, "y=1 /\\ 1:X2=1" },
        { "corpus/aarch64/S.litmus", true, "x=1 /\\ 1:X0=1" },
        { "corpus/aarch64/CoRR.litmus", false, "1:X1=0 /\\ 1:X2=1" },
        { "corpus/aarch64/CoRW2.litmus", false, "[x]=2 /\\ 1:X1=1" },
        { "corpus/aarch64/CoWR.litmus", false, "0:X2=1" },
        { "extra/IRIW.litmus", true, "1:X0=1 /\\ 1:X4=1 /\\ 3:X0=1 /\\ 3:X4=0" },
        { "extra/WRC.litmus", true, "1:X0=1 /\\ 2:X0=1 /\\ 2:X4=1" },
        { "extra/ISA2+dmb.sy+data+addr.litmus", false, "1:X0=1 /\\ 2:X0=1 /\\ 2:X4=1" },
    };

    private static string Text(string rel) => File.ReadAllText(Path.Combine(LitmusCorpus.RepoRoot, "tests", "Runtime.Tests", "Litmus", rel));

    private static string WithCondition(string text, string body) => text[..text.LastIndexOf("exists", StringComparison.Ordinal)] + "exists (" + body + ")\n";

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Sc_forbids_the_weak_outcome(string file, bool allowedOnArm64, string _)
    {
        var test = LitmusParser.Parse(Text(file), file);
        Assert.Equal("Forbidden", LitmusRunner.Run(test, MemoryModel.Sc).Verdict);
        Assert.Equal(allowedOnArm64 ? "Allowed" : "Forbidden", LitmusRunner.Run(test, MemoryModel.Arm64).Verdict);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Sc_allows_an_interleaving_outcome(string file, bool _, string interleaving)
    {
        var test = LitmusParser.Parse(WithCondition(Text(file), interleaving), file);
        Assert.Equal("Allowed", LitmusRunner.Run(test, MemoryModel.Sc).Verdict);
        // Every SC execution is an ARMv8 execution.
        Assert.Equal("Allowed", LitmusRunner.Run(test, MemoryModel.Arm64).Verdict);
    }

    [Theory]
    [InlineData("corpus/aarch64/SB.litmus", 3)]
    [InlineData("corpus/aarch64/MP.litmus", 3)]
    [InlineData("corpus/aarch64/LB.litmus", 3)]
    [InlineData("corpus/aarch64/2+2W.litmus", 3)]
    public void Sc_gives_exactly_the_interleavings_outcomes(string file, int outcomes)
    {
        // Two threads of two accesses: 6 interleavings, 3 distinct outcomes for each of these shapes.
        var test = LitmusParser.Parse(Text(file), file);
        var seen = new HashSet<string>();
        Explorer.Explore(LitmusRunner.ToProgram(test), LitmusRunner.DefaultOptions(MemoryModel.Sc), ex =>
        {
            var regs = Enumerable.Range(0, ex.CpuCount).SelectMany(c => ex.Reports(c).OrderBy(kv => kv.Key).Select(kv => $"{c}:{kv.Key}={kv.Value}"));
            var mem = new[] { "x", "y" }.Select(n => $"{n}={ex.FinalValue(test.Layout.Addresses[n])}");
            seen.Add(string.Join(" ", regs.Concat(mem)));
        });
        Assert.Equal(outcomes, seen.Count);
    }
}
