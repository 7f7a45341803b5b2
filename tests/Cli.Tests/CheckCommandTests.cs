namespace PtGuard.Cli.Tests;

/// <summary><c>ptguard check</c> on loose files and folders: compiler-style lines, exit 0/1/2, the protocol option.</summary>
public class CheckCommandTests
{
    private static string Reference(string file) => Path.Combine(CliRunner.RepoRoot, "src", "Runtime", "Reference", file);

    [Fact]
    public void Known_bad_reference_code_is_flagged_with_compiler_style_lines()
    {
        var (code, stdout, _) = CliRunner.Run("check", Reference("KnownBad.cs"));
        Assert.Equal(1, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Matches(@"^.*KnownBad\.cs\(\d+,\d+\): (warning|info) PTG\d{4}: .+$", l));
        Assert.Contains(lines, l => l.Contains("warning PTG0005:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("warning PTG0011:", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("warning PTG0003:", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_reference_protocol_is_clean_under_its_own_protocol()
    {
        Assert.Equal(0, CliRunner.Run("check", Reference("ProtocolA.cs"), "--protocol", "a").Exit);
        Assert.Equal(0, CliRunner.Run("check", Reference("ProtocolB.cs"), "--protocol", "b").Exit);
    }

    [Fact]
    public void Protocol_b_flags_a_free_outside_the_held_read_lock()
    {
        var dir = TempFolder.Create(("Free.cs", """
            using PtGuard.Runtime;
            using static PtGuard.Runtime.Kernel;

            static class Freer
            {
                public static void Free(PmdPtr pmdp, ulong addr)
                {
                    var table = PteOffsetKernel(pmdp, addr);
                    PmdClear(pmdp);
                    FlushTlbKernelPgtable(addr);
                    PteFreeKernel(table);
                }
            }
            """));
        var (code, stdout, _) = CliRunner.Run("check", dir, "--protocol", "b");
        Assert.Equal(1, code);
        Assert.Contains("PTG0012", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Editorconfig_chooses_the_protocol_and_the_severities()
    {
        var dir = TempFolder.Create(
            (".editorconfig", "root = true\n[*.cs]\nptguard_protocol = b\ndotnet_diagnostic.PTG0012.severity = none\n"),
            ("Free.cs", """
            using PtGuard.Runtime;
            using static PtGuard.Runtime.Kernel;

            static class Freer
            {
                public static void Free(PmdPtr pmdp, ulong addr)
                {
                    var table = PteOffsetKernel(pmdp, addr);
                    PmdClear(pmdp);
                    FlushTlbKernelPgtable(addr);
                    PteFreeKernel(table);
                }
            }
            """));
        // Protocol b from .editorconfig (no lock cycle needed), PTG0012 silenced: nothing left.
        Assert.Equal(0, CliRunner.Run("check", dir).Exit);
        // The command line wins over the file: under a, the missing lock cycle is reported.
        var (code, stdout, _) = CliRunner.Run("check", dir, "--protocol", "a");
        Assert.Equal(1, code);
        Assert.Contains("PTG0004", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Compile_errors_are_printed_as_the_compiler_does_and_give_exit_2()
    {
        var dir = TempFolder.Create(("Broken.cs", "static class C { static void M() { Undefined(); } }"));
        var (code, _, stderr) = CliRunner.Run("check", dir);
        Assert.Equal(2, code);
        Assert.Matches(@"Broken\.cs\(1,36\): error CS0103: ", stderr);
    }

    [Fact]
    public void Bad_path_is_one_clear_line_and_exit_2()
    {
        var (code, stdout, stderr) = CliRunner.Run("check", "/no/such/place.cs");
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Equal("ptguard check: no such file or folder: /no/such/place.cs", stderr.Trim());
    }

    [Fact]
    public void Json_format_lists_each_diagnostic_with_its_position_and_help_link()
    {
        var (code, stdout, _) = CliRunner.Run("check", Reference("KnownBad.cs"), "--format", "json");
        Assert.Equal(1, code);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var items = doc.RootElement.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.NotEmpty(items);
        Assert.All(items, i =>
        {
            Assert.StartsWith("PTG", i.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.True(i.GetProperty("line").GetInt32() > 0);
            Assert.EndsWith(".md", i.GetProperty("helpLink").GetString(), StringComparison.Ordinal);
        });
    }
}

/// <summary>A fresh folder under the temp directory holding the given files.</summary>
internal static class TempFolder
{
    public static string Create(params (string Name, string Text)[] files)
    {
        var dir = Path.Combine(Path.GetTempPath(), "ptguard-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var (name, text) in files) File.WriteAllText(Path.Combine(dir, name), text);
        return dir;
    }
}
