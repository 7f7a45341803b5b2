using System.Diagnostics;

namespace PtGuard.CodeFixes.Tests;

/// <summary>
/// A client no one here wrote: <c>dotnet format analyzers</c> on a small project that loads the built analyzers and code
/// fixes as Analyzer items and references PtGuard.Runtime. Needs no package (the project has none): it runs offline.
/// </summary>
public class DotnetFormatTests
{
    [Fact]
    public void Dotnet_format_applies_the_fixes_until_the_sample_is_clean()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ptguard-format-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string Dll(Type t) => t.Assembly.Location;
        File.WriteAllText(Path.Combine(dir, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net{Environment.Version.Major}.{Environment.Version.Minor}</TargetFramework>
                <Nullable>enable</Nullable>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="PtGuard.Runtime" HintPath="{Dll(typeof(PtGuard.Runtime.Kernel))}" />
                <Analyzer Include="{Dll(typeof(Analyzers.DiagnosticIds))}" />
                <Analyzer Include="{Dll(typeof(DocumentFixer))}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), "<Project />");
        File.WriteAllText(Path.Combine(dir, ".editorconfig"), "root = true\n\n[*.cs]\nptguard_protocol = a\n");
        File.WriteAllText(Path.Combine(dir, "Free.cs"), """
            using PtGuard.Runtime;
            using static PtGuard.Runtime.Kernel;

            public static class Freer
            {
                public static void Free(PmdPtr pmdp, ulong addr)
                {
                    var table = PteOffsetKernel(pmdp, addr);
                    PteFreeKernel(table);
                }

                public static void Walk(PtdumpState st)
                {
                    StaticBranchEnable(PtGuard.Runtime.Reference.ProtocolA.Arm64PtdumpLockKey);
                    PtdumpWalkPgd(st, InitMm);
                    StaticBranchDisable(PtGuard.Runtime.Reference.ProtocolA.Arm64PtdumpLockKey);
                }
            }
            """);
        Assert.True(Dotnet(dir, "restore", out var restore) == 0, restore);
        // One pass fixes what is reported first (the clear); the next finds the flush, then the cycle.
        for (var pass = 0; pass < 3; pass++)
        {
            Assert.True(Dotnet(dir, "format analyzers --diagnostics PTG0001 PTG0002 PTG0004 PTG0011 --severity info --no-restore", out var log) == 0, log);
        }
        var text = File.ReadAllText(Path.Combine(dir, "Free.cs")).Replace("\r\n", "\n");
        Assert.Contains("""
                    var table = PteOffsetKernel(pmdp, addr);
                    PmdClear(pmdp);
                    FlushTlbKernelPgtable(addr);
                    if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                    {
                        MmapReadLock(InitMm);
                        MmapReadUnlock(InitMm);
                    }
                    PteFreeKernel(table);
            """, text);
        Assert.Contains("StaticBranchInc(PtGuard.Runtime.Reference.ProtocolA.Arm64PtdumpLockKey);", text);
        Assert.Contains("StaticBranchDec(PtGuard.Runtime.Reference.ProtocolA.Arm64PtdumpLockKey);", text);
        Assert.True(Dotnet(dir, "format analyzers --diagnostics PTG0001 PTG0002 PTG0004 PTG0011 --severity info --no-restore --verify-no-changes", out var verify) == 0, verify);
    }

    private static int Dotnet(string dir, string args, out string output)
    {
        var start = new ProcessStartInfo("dotnet", args) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000)) process.Kill(entireProcessTree: true);
        output = stdout.Result + stderr.Result;
        return process.HasExited ? process.ExitCode : -1;
    }
}
