namespace PtGuard.Cli.Tests;

/// <summary><c>ptguard demo</c>: the Quickstart's main job, in sections, exit 0 only when all came out as documented.</summary>
public class DemoCommandTests
{
    [Fact]
    public void Demo_checks_fixes_and_explores_as_documented()
    {
        var (exit, stdout, stderr) = CliRunner.Run("demo", "--unsafe", Path.Combine(CliRunner.RepoRoot, "samples", "Unsafe"));
        Assert.True(exit == 0, stdout + stderr);
        // The four sections, in order.
        var sections = new[] { "== 1. ptguard check", "== 2. ptguard fix on a copy", "== 3. ptguard explore cycle-before-flush", "== 4. ptguard explore v6", "== Summary ==" };
        var positions = sections.Select(s => stdout.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0, stdout));
        Assert.Equal(positions.Order(), positions);
        // Compiler-style diagnostics, one per known mistake at least.
        foreach (var id in new[] { "PTG0003", "PTG0004", "PTG0005", "PTG0011", "PTG0014" }) Assert.Matches($@"(?m)^.*\.cs\(\d+,\d+\): warning {id}: ", stdout);
        // The diff of the fixed copy: the flush moved before the cycle, enable/disable turned into inc/dec.
        Assert.Contains("+        StaticBranchInc(Mmu.Arm64PtdumpLockKey);", stdout, StringComparison.Ordinal);
        Assert.Contains("-        StaticBranchEnable(Mmu.Arm64PtdumpLockKey);", stdout, StringComparison.Ordinal);
        Assert.Contains("+        FlushTlbKernelPgtable(addr);", stdout, StringComparison.Ordinal);
        // The explorer: SC safe, the ARM64 witness, v6 verified with its executions counted.
        Assert.Contains("cycle-before-flush on sc: safe", stdout, StringComparison.Ordinal);
        Assert.Contains("cycle-before-flush on arm64: violation UseAfterFree", stdout, StringComparison.Ordinal);
        Assert.Contains("<== UseAfterFree", stdout, StringComparison.Ordinal);
        Assert.Matches(@"v6 on arm64: safe \(\d+ executions", stdout);
        Assert.DoesNotContain("FAIL", stdout, StringComparison.Ordinal);
        Assert.Contains("All came out as documented.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Demo_says_what_differed_and_exits_1_when_a_mistake_is_not_reported()
    {
        // The sample with its leaf-only flush repaired by hand: the documented PTG0003 does not come out.
        var dir = Path.Combine(Path.GetTempPath(), "ptguard-demo-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(Path.Combine(CliRunner.RepoRoot, "samples", "Unsafe"), "*.cs"))
        {
            File.WriteAllText(Path.Combine(dir, Path.GetFileName(file)), File.ReadAllText(file).Replace("FlushTlbKernelRange(addr, addr + PmdSize);", "FlushTlbKernelPgtable(addr);", StringComparison.Ordinal));
        }
        var (exit, stdout, _) = CliRunner.Run("demo", "--unsafe", dir);
        Assert.Equal(1, exit);
        Assert.Contains("FAIL check: LeafOnlyFlush.cs is flagged PTG0003: got nothing", stdout, StringComparison.Ordinal);
        Assert.Contains("1 of 12 did not come out as documented.", stdout, StringComparison.Ordinal);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void Demo_with_a_missing_folder_is_a_usage_error()
    {
        var (exit, _, stderr) = CliRunner.Run("demo", "--unsafe", "/no/such/folder");
        Assert.Equal(2, exit);
        Assert.Equal("ptguard demo: no such folder: /no/such/folder", stderr.Trim());
    }
}
