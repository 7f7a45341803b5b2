using System.Diagnostics;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Runtime.Tests.Memory;

public class WitnessRenderingTests
{
    private static Witness UafWitness() =>
        Explorer.Explore(BuiltInScenarios.Find("cycle-before-flush")!.Build(), new ExploreOptions { Model = MemoryModel.Arm64 }).Witness!;

    [Fact]
    public void Text_witness_has_one_lane_per_cpu_reads_from_and_the_offending_access()
    {
        var text = WitnessText.Render(UafWitness());
        var lines = text.Split('\n');
        var header = lines.First(l => l.StartsWith("CPU 0 (freer)", StringComparison.Ordinal));
        Assert.Contains("| CPU 1 (ptdump)", header, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("<- init", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("<- CPU 0 #", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("<== UseAfterFree", StringComparison.Ordinal));
        Assert.Contains("pte_free_kernel(pte table @0x", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_witness_round_trips()
    {
        var w = UafWitness();
        var back = WitnessJson.Deserialize(WitnessJson.Serialize(w));
        Assert.Equal(w.Events.Count, back.Events.Count);
        Assert.Equal(w.Violation, back.Violation);
        Assert.Equal(w.Events.Select(e => (e.Ref, e.Value, e.ReadsFrom)), back.Events.Select(e => (e.Ref, e.Value, e.ReadsFrom)));
    }

    [Fact]
    public void Malformed_witness_json_names_the_problem()
    {
        var ex = Assert.Throws<PtGuardException>(() => WitnessJson.Deserialize("{ \"program\": 3 "));
        Assert.StartsWith("witness: not a PtGuard witness", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_witness_renders_with_graphviz()
    {
        var dot = WitnessDot.Render(UafWitness());
        var psi = new ProcessStartInfo("dot", "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail("Graphviz 'dot' is not installed; .ci/run installs it (apt-get install graphviz).");
            return;
        }
        p.StandardInput.Write(dot);
        p.StandardInput.Close();
        var svg = p.StandardOutput.ReadToEnd();
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, err);
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("UseAfterFree", svg, StringComparison.Ordinal);
    }
}
