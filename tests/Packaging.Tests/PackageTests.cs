using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace PtGuard.Packaging.Tests;

/// <summary>
/// The packed packages, their layout, the samples built against them from the local folder feed with -warnaserror,
/// the package added to a new project as the README says, and the tool installed from the feed.
/// </summary>
[Collection(PackedRepositoryCollection.Name)]
public sealed class PackageTests(PackedRepository repo, ITestOutputHelper output)
{
    /// <summary>samples/Unsafe's five mistakes and the rule that names each (pre-patch, cycle before flush, v5, leaf-only, A in B).</summary>
    public static readonly string[] UnsafeRules = ["PTG0003", "PTG0004", "PTG0005", "PTG0011", "PTG0014"];

    private (int Exit, string Output, TimeSpan Elapsed) Timed(string what, (int Exit, string Output, TimeSpan Elapsed) result)
    {
        output.WriteLine($"{what}: exit {result.Exit}, {result.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    private static IReadOnlyList<string> ErrorIds(string buildOutput) =>
        Regex.Matches(buildOutput, @": error ([A-Z]+\d+):").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void PtGuard_package_holds_the_runtime_as_lib_and_analyzers_and_fixes_as_analyzers_only()
    {
        output.WriteLine(repo.Log.ToString());
        var entries = repo.Entries("PtGuard");
        output.WriteLine(string.Join("\n", entries));
        Assert.Contains("lib/net8.0/PtGuard.Runtime.dll", entries);
        Assert.Contains("lib/net8.0/PtGuard.Runtime.xml", entries);
        Assert.Contains("analyzers/dotnet/cs/PtGuard.Analyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/PtGuard.CodeFixes.dll", entries);
        Assert.Contains("buildTransitive/PtGuard.props", entries);
        Assert.Contains("buildTransitive/PtGuard.targets", entries);
        // The analyzer and code-fix assemblies are never lib references, and lib holds only the runtime.
        Assert.Equal(["lib/net8.0/PtGuard.Runtime.dll", "lib/net8.0/PtGuard.Runtime.xml"], entries.Where(e => e.StartsWith("lib/", StringComparison.Ordinal)));
        Assert.DoesNotContain(entries, e => e.StartsWith("ref/", StringComparison.Ordinal));
        Assert.Equal(2, entries.Count(e => e.StartsWith("analyzers/", StringComparison.Ordinal)));

        var nuspec = XDocument.Parse(repo.Read("PtGuard", "PtGuard.nuspec"));
        XNamespace ns = nuspec.Root!.Name.Namespace;
        Assert.Equal("PtGuard", nuspec.Descendants(ns + "id").Single().Value);
        Assert.Equal(repo.Version, nuspec.Descendants(ns + "version").Single().Value);
        // No dependency at all: in particular none on Microsoft.CodeAnalysis (the compiler brings its own).
        Assert.Empty(nuspec.Descendants(ns + "dependency"));
        Assert.DoesNotContain("Microsoft.CodeAnalysis", repo.Read("PtGuard", "PtGuard.nuspec"), StringComparison.Ordinal);

        var targets = repo.Read("PtGuard", "buildTransitive/PtGuard.targets");
        Assert.Contains("<CompilerVisibleProperty Include=\"PtGuardProtocol\" />", targets, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_package_holds_ptguard_as_a_dotnet_tool()
    {
        var entries = repo.Entries("PtGuard.Tool");
        output.WriteLine(string.Join("\n", entries));
        Assert.Contains("tools/net10.0/any/ptguard.dll", entries);
        Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", entries);
        Assert.Contains("tools/net10.0/any/BuildHost-netcore/Microsoft.CodeAnalysis.Workspaces.MSBuild.BuildHost.dll", entries);
        var settings = XDocument.Parse(repo.Read("PtGuard.Tool", "tools/net10.0/any/DotnetToolSettings.xml"));
        var command = settings.Descendants("Command").Single();
        Assert.Equal("ptguard", command.Attribute("Name")!.Value);
        Assert.Equal("ptguard.dll", command.Attribute("EntryPoint")!.Value);
        var nuspec = XDocument.Parse(repo.Read("PtGuard.Tool", "PtGuard.Tool.nuspec"));
        Assert.Equal("PtGuard.Tool", nuspec.Descendants(nuspec.Root!.Name.Namespace + "id").Single().Value);
        Assert.Contains(nuspec.Descendants(nuspec.Root!.Name.Namespace + "packageType"), t => t.Attribute("name")!.Value == "DotnetTool");
    }

    [Theory]
    [InlineData("Safe")]
    [InlineData("SafeProtocolB")]
    public void Safe_samples_build_with_warnings_as_errors(string sample)
    {
        var (exit, log, _) = Timed($"dotnet build samples/{sample} -warnaserror", repo.BuildSample(sample, "-warnaserror"));
        Assert.True(exit == 0, log);
        Assert.DoesNotContain("PTG0", log, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsafe_sample_fails_with_warnings_as_errors_with_exactly_the_expected_rules()
    {
        var (exit, log, _) = Timed("dotnet build samples/Unsafe -warnaserror", repo.BuildSample("Unsafe", "-warnaserror"));
        Assert.NotEqual(0, exit);
        Assert.Equal(UnsafeRules, ErrorIds(log));
        output.WriteLine("Unsafe -warnaserror errors: " + string.Join(", ", ErrorIds(log)));
    }

    [Fact]
    public void The_PtGuardProtocol_property_reaches_the_analyzers_through_buildTransitive()
    {
        // Under Protocol B, frees outside a held read lock are PTG0012 and Protocol A's ordering rules do not apply.
        var (exit, log, _) = Timed("dotnet build samples/Unsafe -warnaserror -p:PtGuardProtocol=b", repo.BuildSample("Unsafe", "-warnaserror", "-p:PtGuardProtocol=b"));
        Assert.NotEqual(0, exit);
        Assert.Equal(["PTG0003", "PTG0012", "PTG0014"], ErrorIds(log));
    }

    [Fact]
    public void Check_on_the_restored_sample_project_reports_what_check_on_its_folder_reports()
    {
        var restore = Timed("dotnet restore samples/Unsafe", Repo.Dotnet(repo.Sample("Unsafe"), "restore"));
        Assert.True(restore.Exit == 0, restore.Output);
        var project = Cli("check", Path.Combine(repo.Sample("Unsafe"), "Unsafe.csproj"));
        var folder = Cli("check", repo.Sample("Unsafe"));
        Assert.True(project.Exit == 1, $"exit {project.Exit}\n{project.Out}{project.Err}");
        Assert.True(folder.Out == project.Out, $"folder:\n{folder.Out}\nproject:\n{project.Out}");
        Assert.Equal(UnsafeRules, Regex.Matches(project.Out, @": warning (PTG\d{4}):").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Dotnet_add_package_brings_the_rules_into_a_new_project()
    {
        var dir = Path.Combine(repo.Root, "newcomer");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "Newcomer.csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n");
        File.WriteAllText(Path.Combine(dir, "Free.cs"), """
            using PtGuard.Runtime;
            using static PtGuard.Runtime.Kernel;

            public static class Freer
            {
                public static void Free(PmdPtr pmdp, ulong addr)
                {
                    var table = PteOffsetKernel(pmdp, addr);
                    PmdClear(pmdp);
                    FlushTlbKernelPgtable(addr);
                    PteFreeKernel(table);
                }
            }
            """);
        // README: dotnet add package PtGuard (here with this run's version, from the local feed nuget.config lists).
        var add = Repo.Dotnet(dir, "add", "package", "PtGuard", "--version", repo.Version);
        Assert.True(add.Exit == 0, add.Output);
        output.WriteLine($"dotnet add package: {add.Elapsed.TotalSeconds:0.0} s");
        var build = Timed("dotnet build (newcomer)", Repo.Dotnet(dir, "build", "--disable-build-servers"));
        Assert.True(build.Exit == 0, build.Output);
        Assert.Matches(@"Free\.cs\(\d+,\d+\): warning PTG0004: ", build.Output);
    }

    [Fact]
    public void The_tool_installs_from_the_local_feed_and_runs_check_and_demo()
    {
        var tools = Path.Combine(repo.Root, "tools");
        // README: dotnet tool install --global PtGuard.Tool (here into a tool path, with this run's version).
        var install = Timed("dotnet tool install", Repo.Dotnet(repo.Root, "tool", "install", "PtGuard.Tool", "--version", repo.Version, "--tool-path", tools));
        Assert.True(install.Exit == 0, install.Output);
        var ptguard = Path.Combine(tools, "ptguard");

        var help = Repo.Run(repo.Root, ptguard, "--help");
        Assert.Equal(0, help.Exit);
        foreach (var command in new[] { "check", "fix", "explore", "litmus", "ptdump", "demo" }) Assert.Contains(command, help.Output, StringComparison.Ordinal);

        var check = Repo.Run(repo.Root, ptguard, "check", "samples/Unsafe");
        Assert.Equal(1, check.Exit);
        Assert.Equal(UnsafeRules, Regex.Matches(check.Output, @": warning (PTG\d{4}):").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal));

        // From the repository's root the demo finds samples/Unsafe; it must come out as documented.
        var demo = Timed("installed ptguard demo", Repo.Run(repo.Root, ptguard, "demo"));
        Assert.True(demo.Exit == 0, demo.Output);
        Assert.Contains("All came out as documented.", demo.Output, StringComparison.Ordinal);

        // Outside any clone, the demo uses the copy of samples/Unsafe built into the tool.
        var elsewhere = Path.Combine(Path.GetTempPath(), "ptguard-elsewhere-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(elsewhere);
        var builtIn = Timed("installed ptguard demo outside a clone", Repo.Run(elsewhere, ptguard, "demo"));
        Directory.Delete(elsewhere, recursive: true);
        Assert.True(builtIn.Exit == 0, builtIn.Output);
        Assert.Contains("samples/Unsafe (built into ptguard)", builtIn.Output, StringComparison.Ordinal);
    }

    private static (int Exit, string Out, string Err) Cli(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = PtGuard.Cli.Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
