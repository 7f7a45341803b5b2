using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PtGuard.Packaging.Tests;

/// <summary>
/// The README's promises, each against the thing it describes: the rules table against the descriptors, the Quickstart
/// against .ci/run, the package and tool names against the projects, the configuration and suppression examples against
/// the rules, and the witness excerpt against a fresh run. Set PTGUARD_UPDATE_README=1 to regenerate the rules table.
/// </summary>
public class ReadmeTests
{
    private static string Readme => File.ReadAllText(Repo.PathOf("README.md")).Replace("\r\n", "\n");

    private static IReadOnlyList<string> FencedBlocks(string text, string after)
    {
        var from = text.IndexOf(after, StringComparison.Ordinal);
        Assert.True(from >= 0, $"README.md has no '{after}'");
        return Regex.Matches(text[from..], @"```[a-z]*\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
    }

    [Fact]
    public void Rules_table_is_what_the_descriptors_say()
    {
        var expected = RuleCatalog.Table();
        if (Environment.GetEnvironmentVariable("PTGUARD_UPDATE_README") == "1")
        {
            File.WriteAllText(Repo.PathOf("README.md"), RuleCatalog.WithTable(Readme, expected));
        }
        Assert.Equal(expected, RuleCatalog.ReadmeTable(Readme));
    }

    [Fact]
    public void Quickstart_is_two_commands_and_ci_runs_the_same_test_command()
    {
        var block = FencedBlocks(Readme, "## Quickstart")[0];
        var commands = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["dotnet run --project src/Cli -- demo", "dotnet test PtGuard.sln --logger trx --results-directory TestResults"], commands);
        var ci = File.ReadAllLines(Repo.PathOf(".ci", "run")).Select(l => l.Trim());
        Assert.Contains(commands[1], ci);
    }

    [Fact]
    public void Install_commands_name_the_packages_the_projects_produce()
    {
        var blocks = FencedBlocks(Readme, "## Install");
        Assert.Equal("dotnet add package PtGuard", blocks[0].Trim());
        Assert.Equal("dotnet tool install --global PtGuard.Tool\nptguard --help", blocks[1].Trim());
        static string? Property(string project, string name) => XDocument.Load(Repo.PathOf(project)).Descendants(name).SingleOrDefault()?.Value;
        Assert.Equal("PtGuard", Property("src/CodeFixes/PtGuard.CodeFixes.csproj", "PackageId"));
        Assert.Equal("PtGuard.Tool", Property("src/Cli/PtGuard.Cli.csproj", "PackageId"));
        Assert.Equal("ptguard", Property("src/Cli/PtGuard.Cli.csproj", "ToolCommandName"));
        Assert.Contains("`dotnet pack -c Release -o artifacts/packages`", Readme, StringComparison.Ordinal);
        Assert.Contains("value=\"artifacts/packages\"", File.ReadAllText(Repo.PathOf("nuget.config")), StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_keys_are_the_ones_the_rules_read()
    {
        var ini = FencedBlocks(Readme, "## Configuration")[0];
        Assert.Contains($"{PtGuard.Analyzers.PtGuardAnalyzers.ProtocolOptionKey} = a", ini, StringComparison.Ordinal);
        Assert.Contains("<CompilerVisibleProperty Include=\"PtGuardProtocol\" />", File.ReadAllText(Repo.PathOf("src", "CodeFixes", "build", "PtGuard.targets")), StringComparison.Ordinal);
        Assert.Contains("<PtGuardProtocol>b</PtGuardProtocol>", Readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Severity_and_suppression_examples_do_what_the_README_says()
    {
        var blocks = FencedBlocks(Readme, "## Configuration");
        var severities = blocks[1];
        var attribute = blocks[2].Trim();
        var dir = Path.Combine(Path.GetTempPath(), "ptguard-readme-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, ".editorconfig"), "root = true\n\n[*.cs]\n" + severities);
            const string Body = """
                    {
                        var table = PteOffsetKernel(pmdp, addr);
                        PmdClear(pmdp);
                        FlushTlbKernelPgtable(addr);
                        PteFreeKernel(table);
                    }
                """;
            File.WriteAllText(Path.Combine(dir, "Free.cs"), $$"""
                using System.Diagnostics.CodeAnalysis;
                using PtGuard.Runtime;
                using static PtGuard.Runtime.Kernel;

                public static class Freer
                {
                    public static void Reported(PmdPtr pmdp, ulong addr)
                {{Body}}

                #pragma warning disable PTG0004
                    public static void ByPragma(PmdPtr pmdp, ulong addr)
                {{Body}}
                #pragma warning restore PTG0004

                    {{attribute}}
                    public static void ByAttribute(PmdPtr pmdp, ulong addr)
                {{Body}}

                    public static void Unconditional(PmdPtr pmdp, ulong addr)
                    {
                        var table = PteOffsetKernel(pmdp, addr);
                        PmdClear(pmdp);
                        FlushTlbKernelPgtable(addr);
                        MmapReadLock(InitMm);
                        MmapReadUnlock(InitMm);
                        PteFreeKernel(table);
                    }
                }
                """);
            var stdout = new StringWriter { NewLine = "\n" };
            var stderr = new StringWriter { NewLine = "\n" };
            var exit = PtGuard.Cli.Program.Run(["check", dir], stdout, stderr);
            Assert.True(exit == 1, stdout.ToString() + stderr);
            var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            // PTG0004 is an error now, reported once (the pragma and the attribute silence the other two); PTG0007 is off.
            var line = Assert.Single(lines);
            Assert.True(Regex.IsMatch(line, @"Free\.cs\(12,9\): error PTG0004: "), line);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Witness_excerpt_is_real_output_of_explore()
    {
        var excerpt = FencedBlocks(Readme, "## Reading a witness")[0].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("`ptguard explore cycle-before-flush --model arm64` prints", Readme, StringComparison.Ordinal);
        var stdout = new StringWriter { NewLine = "\n" };
        Assert.Equal(1, PtGuard.Cli.Program.Run(["explore", "cycle-before-flush", "--model", "arm64"], stdout, new StringWriter()));
        var real = stdout.ToString().Split('\n').Select(l => l.TrimEnd()).ToHashSet(StringComparer.Ordinal);
        var shown = excerpt.Where(l => l.Trim() != "...").ToList();
        Assert.True(shown.Count >= 8);
        Assert.All(shown, l => Assert.True(real.Contains(l.TrimEnd()), $"not in the real output: '{l}'\n--- real output ---\n{stdout}"));
    }
}
