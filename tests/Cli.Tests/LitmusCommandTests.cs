namespace PtGuard.Cli.Tests;

public class LitmusCommandTests
{
    private static Dictionary<string, string> ExpectedByName()
    {
        // expected.tsv names files; the tsv output names tests by their header line.
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(CliRunner.Corpus, "expected.tsv")).Where(l => l.Length > 0))
        {
            var f = line.Split('\t');
            var header = File.ReadLines(Path.Combine(CliRunner.Corpus, f[0])).First().Split(' ', 2)[1].Trim();
            map[header] = f[1];
        }
        return map;
    }

    [Fact]
    public void Tsv_over_the_corpus_folder_gives_herd7s_verdicts_and_exit_0()
    {
        var (exit, output, err) = CliRunner.Run("litmus", CliRunner.Corpus, "--format", "tsv");
        Assert.Equal(0, exit);
        Assert.Equal("", err);
        var rows = output.TrimEnd('\n').Split('\n').Select(l => l.Split('\t')).ToList();
        Assert.All(rows, r => Assert.Equal(3, r.Length));
        Assert.All(rows, r => Assert.True(long.Parse(r[2], System.Globalization.CultureInfo.InvariantCulture) > 0, string.Join("\t", r)));
        var expected = ExpectedByName();
        foreach (var (name, verdict) in expected) Assert.Equal(verdict, Assert.Single(rows, r => r[0] == name)[1]);
        // The kernel's own test is in the folder too (the 48th).
        Assert.Equal("Forbidden", Assert.Single(rows, r => r[0] == "ptdump")[1]);
        Assert.Equal(expected.Count + 1, rows.Count);
    }

    [Fact]
    public void Tsv_line_format_is_name_tab_verdict_tab_executions()
    {
        var (exit, output, _) = CliRunner.Run("litmus", Path.Combine(CliRunner.Corpus, "aarch64", "SB.litmus"), "--format", "tsv");
        Assert.Equal(0, exit);
        Assert.Matches(@"^SB\tAllowed\t[1-9][0-9]*\n$", output);
    }

    [Fact]
    public void Sc_model_forbids_SB()
    {
        var (exit, output, _) = CliRunner.Run("litmus", Path.Combine(CliRunner.Corpus, "aarch64", "SB.litmus"), "--model", "sc", "--format", "tsv");
        Assert.Equal(0, exit);
        Assert.StartsWith("SB\tForbidden\t", output);
    }

    [Fact]
    public void Text_shows_a_witness_for_an_allowed_outcome_and_none_for_a_forbidden_one()
    {
        var (exit, output, _) = CliRunner.Run("litmus", Path.Combine(CliRunner.Corpus, "aarch64", "MP.litmus"), Path.Combine(CliRunner.Corpus, "aarch64", "MP+dmb.sys.litmus"));
        Assert.Equal(0, exit);
        var mp = output[..output.IndexOf("MP+dmb.sys:", StringComparison.Ordinal)];
        var dmb = output[output.IndexOf("MP+dmb.sys:", StringComparison.Ordinal)..];
        Assert.StartsWith("MP: Allowed", mp);
        Assert.Contains("exists (1:X0=1 /\\ 1:X2=0)", mp);
        Assert.Contains("Witness: MP on arm64", mp);
        Assert.Contains("y: LDR W0,[X1] = 0x1", mp);
        Assert.StartsWith("MP+dmb.sys: Forbidden", dmb);
        Assert.DoesNotContain("Witness", dmb);
        Assert.Contains("2 tests on arm64: 1 Allowed, 1 Forbidden, 0 errors", output);
    }

    [Fact]
    public void A_bad_file_is_reported_as_file_line_and_the_others_still_run_exit_2()
    {
        var dir = Directory.CreateTempSubdirectory("ptguard-litmus-");
        try
        {
            File.Copy(Path.Combine(CliRunner.Corpus, "aarch64", "SB.litmus"), Path.Combine(dir.FullName, "a.litmus"));
            File.WriteAllText(Path.Combine(dir.FullName, "b.litmus"), "AArch64 BAD\n{\n0:X1=x;\n}\n P0 ;\n FROB W0 ;\nexists (0:X0=1)\n");
            Directory.CreateDirectory(Path.Combine(dir.FullName, "sub"));
            File.Copy(Path.Combine(CliRunner.Corpus, "aarch64", "MP.litmus"), Path.Combine(dir.FullName, "sub", "c.litmus"));
            File.WriteAllText(Path.Combine(dir.FullName, "notes.txt"), "not a litmus file");

            var (exit, output, err) = CliRunner.Run("litmus", dir.FullName, "--format", "tsv");
            Assert.Equal(2, exit);
            var bad = Path.Combine(dir.FullName, "b.litmus");
            Assert.Equal($"{bad}:6: unknown or unsupported instruction 'FROB W0'\n", err);
            var names = output.TrimEnd('\n').Split('\n').Select(l => l.Split('\t')[0]).ToList();
            Assert.Equal(new[] { "SB", "MP" }, names);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Unsupported_variant_is_exit_2_with_file_line()
    {
        var file = Path.Combine(Path.GetTempPath(), $"ptguard-variant-{Guid.NewGuid():N}.litmus");
        File.WriteAllText(file, "AArch64 V\nVariant=SVE\n{\n0:X1=x;\n}\n P0 ;\n NOP ;\nexists (0:X1=x)\n");
        try
        {
            var (exit, output, err) = CliRunner.Run("litmus", file);
            Assert.Equal(2, exit);
            Assert.Equal($"{file}:2: unsupported variant 'SVE' (supported: Ifetch)\n", err);
            Assert.Equal("1 test on arm64: 0 Allowed, 0 Forbidden, 1 error", output.Split(" (")[0]);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
