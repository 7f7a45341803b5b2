namespace PtGuard.Cli.Tests;

/// <summary>
/// <c>ptguard check</c> on a restored <c>.csproj</c> and on a solution, read through MSBuild: the same diagnostics as the
/// folder, the project's own protocol property, and one clear line (exit 2) for what cannot be read.
/// </summary>
public class ProjectCheckTests : IClassFixture<ProjectCheckTests.RestoredProject>
{
    private readonly RestoredProject _project;

    public ProjectCheckTests(RestoredProject project) => _project = project;

    /// <summary>
    /// A net10.0 project (its reference pack ships with the SDK: restore needs no feed) holding the unsafe sample's files
    /// and referencing the built PtGuard.Runtime; it declares PtGuardProtocol compiler-visible as the package does.
    /// </summary>
    public sealed class RestoredProject : IDisposable
    {
        public RestoredProject()
        {
            Folder = Path.Combine(Path.GetTempPath(), "ptguard-project-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Folder);
            foreach (var file in Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "samples", "Unsafe"), "*.cs")) File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
            File.WriteAllText(Path.Combine(Folder, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(Folder, "Directory.Packages.props"), "<Project />");
            File.WriteAllText(Path.Combine(Folder, "Unsafe.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <ImplicitUsings>enable</ImplicitUsings>
                    <Nullable>enable</Nullable>
                    <PtGuardProtocol Condition="'$(PtGuardProtocol)' == ''">a</PtGuardProtocol>
                  </PropertyGroup>
                  <ItemGroup>
                    <Reference Include="PtGuard.Runtime" HintPath="{typeof(PtGuard.Runtime.Kernel).Assembly.Location}" />
                    <CompilerVisibleProperty Include="PtGuardProtocol" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(Folder, "Unsafe.slnx"), "<Solution>\n  <Project Path=\"Unsafe.csproj\" />\n</Solution>\n");
            var (exit, output) = DotnetProcess.Run(Folder, "restore", "Unsafe.csproj");
            Assert.True(exit == 0, output);
        }

        public string Folder { get; }

        public string Project => Path.Combine(Folder, "Unsafe.csproj");

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    [Fact]
    public void A_project_and_its_folder_report_the_same_diagnostics()
    {
        var folder = CliRunner.Run("check", _project.Folder);
        var project = CliRunner.Run("check", _project.Project);
        Assert.Equal(1, folder.Exit);
        Assert.Equal(1, project.Exit);
        Assert.Equal(folder.Out, project.Out);
        Assert.Equal(
            new[] { "PTG0003", "PTG0004", "PTG0005", "PTG0011", "PTG0014" },
            System.Text.RegularExpressions.Regex.Matches(project.Out, @": warning (PTG\d{4}):").Select(m => m.Groups[1].Value).Distinct().Order());
    }

    [Fact]
    public void A_solution_reports_its_projects_diagnostics()
    {
        var solution = CliRunner.Run("check", Path.Combine(_project.Folder, "Unsafe.slnx"));
        Assert.Equal(1, solution.Exit);
        Assert.Equal(CliRunner.Run("check", _project.Project).Out, solution.Out);
    }

    [Fact]
    public void The_projects_PtGuardProtocol_property_reaches_the_rules_and_the_command_line_wins()
    {
        // Under Protocol B a free outside the held read lock is PTG0012; under A (the project's value) it never is.
        Assert.DoesNotContain("PTG0012", CliRunner.Run("check", _project.Project).Out, StringComparison.Ordinal);
        Assert.Contains("PTG0012", CliRunner.Run("check", _project.Project, "--protocol", "b").Out, StringComparison.Ordinal);
        var copy = Path.Combine(_project.Folder, "Unsafe.csproj");
        var text = File.ReadAllText(copy);
        try
        {
            File.WriteAllText(copy, text.Replace(">a</PtGuardProtocol>", ">b</PtGuardProtocol>", StringComparison.Ordinal));
            Assert.Contains("PTG0012", CliRunner.Run("check", copy).Out, StringComparison.Ordinal);
        }
        finally
        {
            File.WriteAllText(copy, text);
        }
    }

    [Fact]
    public void Json_format_works_on_a_project()
    {
        var (exit, stdout, _) = CliRunner.Run("check", _project.Project, "--format", "json");
        Assert.Equal(1, exit);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var items = doc.RootElement.GetProperty("diagnostics").EnumerateArray().ToList();
        Assert.Equal(CliRunner.Run("check", _project.Project).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, items.Count);
        Assert.All(items, i => Assert.True(File.Exists(Path.Combine(Directory.GetCurrentDirectory(), i.GetProperty("file").GetString()!))));
    }

    [Fact]
    public void An_unreadable_project_is_one_line_and_exit_2()
    {
        var dir = TempFolder.Create(("Broken.csproj", "<Project"));
        var (exit, stdout, stderr) = CliRunner.Run("check", Path.Combine(dir, "Broken.csproj"));
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"ptguard check: cannot read {Path.Combine(dir, "Broken.csproj")}: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_project_that_was_never_restored_is_one_line_and_exit_2()
    {
        var dir = TempFolder.Create(
            ("Directory.Build.props", "<Project />"),
            ("Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup><ItemGroup><PackageReference Include=\"PtGuard\" Version=\"0.1.0\" /></ItemGroup></Project>"),
            ("C.cs", "class C { }"));
        var path = Path.Combine(dir, "Lib.csproj");
        var (exit, stdout, stderr) = CliRunner.Run("check", path);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Equal($"ptguard check: {path} is not restored; run dotnet restore {path} first", stderr.Trim());
    }

    [Fact]
    public void A_missing_project_is_one_line_and_exit_2()
    {
        var (exit, _, stderr) = CliRunner.Run("check", "/no/such/Project.csproj");
        Assert.Equal(2, exit);
        Assert.Equal("ptguard check: no such file or folder: /no/such/Project.csproj", stderr.Trim());
    }
}
