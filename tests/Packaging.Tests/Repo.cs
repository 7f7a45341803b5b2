using System.Diagnostics;
using System.Reflection;
using System.Xml.Linq;

namespace PtGuard.Packaging.Tests;

/// <summary>The repository around the test assembly, and the dotnet CLI run from a test.</summary>
internal static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine(new[] { Root }.Concat(parts).ToArray());

    /// <summary>The configuration this test assembly (and so the projects it references) was built in.</summary>
    public static string Configuration =>
        typeof(Repo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    /// <summary>VersionPrefix from Directory.Build.props, the one place versions come from.</summary>
    public static string VersionPrefix =>
        XDocument.Load(PathOf("Directory.Build.props")).Descendants("VersionPrefix").Single().Value;

    /// <summary>NuGet's global packages folder, where restored packages are extracted.</summary>
    public static string GlobalPackages =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The dotnet installation running the tests (for the tool's apphost).</summary>
    public static string DotnetRoot => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));

    /// <summary>
    /// Runs <paramref name="file"/> (<c>dotnet</c> by default) in <paramref name="workingDirectory"/> without the test host's
    /// MSBuild variables and without leaving build servers behind; returns the exit code, everything printed, and the time.
    /// </summary>
    public static (int Exit, string Output, TimeSpan Elapsed) Run(string workingDirectory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(key);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_ROOT"] = DotnetRoot;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result, clock.Elapsed);
    }

    public static (int Exit, string Output, TimeSpan Elapsed) Dotnet(string workingDirectory, params string[] args) => Run(workingDirectory, "dotnet", args);

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PtGuard.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find PtGuard.sln above " + AppContext.BaseDirectory);
    }
}
