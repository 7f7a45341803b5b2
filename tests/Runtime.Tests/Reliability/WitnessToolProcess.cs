using System.Diagnostics;

namespace PtGuard.Runtime.Tests.Reliability;

/// <summary>Runs PtGuard.Runtime.Tests.WitnessTool (copied beside the tests) as a separate <c>dotnet</c> process.</summary>
internal static class WitnessToolProcess
{
    public static string Run(params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "PtGuard.Runtime.Tests.WitnessTool.dll");
        Assert.True(File.Exists(tool), $"the witness tool is not beside the tests: {tool}");
        // `dotnet test` tells its children which host it runs on; elsewhere the one on PATH is used.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(tool);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A guard against a hung child, not a timing assertion.
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"witness tool {string.Join(' ', args)} did not finish");
        }
        Assert.True(process.ExitCode == 0, $"witness tool {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
