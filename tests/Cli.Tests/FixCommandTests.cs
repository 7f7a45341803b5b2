using PtGuard.Analyzers.Tests.Agreement;

namespace PtGuard.Cli.Tests;

/// <summary><c>ptguard fix</c>: rewrites in place and says what it fixed, --dry-run diff, --rule, --protocol, errors.</summary>
public class FixCommandTests
{
    private const string MissingFlush = """
        using PtGuard.Runtime;
        using PtGuard.Runtime.Reference;
        using static PtGuard.Runtime.Kernel;

        static class Freer
        {
            public static void Free(PmdPtr pmdp, ulong addr)
            {
                var table = PteOffsetKernel(pmdp, addr);
                PmdClear(pmdp);
                if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
                {
                    MmapReadLock(InitMm);
                    MmapReadUnlock(InitMm);
                }
                PteFreeKernel(table);
            }
        }
        """;

    private const string Uncounted = """
        using PtGuard.Runtime;
        using PtGuard.Runtime.Reference;
        using static PtGuard.Runtime.Kernel;

        static class Walker
        {
            public static void Walk(PtdumpState st)
            {
                StaticBranchEnable(ProtocolA.Arm64PtdumpLockKey);
                PtdumpWalkPgd(st, InitMm);
                StaticBranchDisable(ProtocolA.Arm64PtdumpLockKey);
            }
        }
        """;

    [Fact]
    public void Fixes_in_place_and_prints_each_fix()
    {
        var dir = TempFolder.Create(("Free.cs", MissingFlush));
        var (code, stdout, stderr) = CliRunner.Run("fix", dir);
        Assert.True(code == 0, stderr);
        var text = File.ReadAllText(Path.Combine(dir, "Free.cs"));
        Assert.Contains("    PmdClear(pmdp);\n        FlushTlbKernelPgtable(addr);\n        if (StaticBranchUnlikely", text);
        Assert.Matches(@"Free\.cs\(16,9\): fixed PTG0002: Flush the walk cache for `addr` after the clear", stdout);
        Assert.Contains("ptguard fix: 1 fix in 1 file", stdout);
        // Fixed code checks clean, and a second run has nothing to do.
        Assert.Equal(0, CliRunner.Run("check", dir).Exit);
        var again = CliRunner.Run("fix", dir);
        Assert.Contains("ptguard fix: 0 fixes in 0 files", again.Out);
        Assert.Equal(text, File.ReadAllText(Path.Combine(dir, "Free.cs")));
    }

    [Fact]
    public void Dry_run_prints_a_unified_diff_and_changes_nothing()
    {
        var dir = TempFolder.Create(("Free.cs", MissingFlush));
        var file = Path.Combine(dir, "Free.cs");
        var (code, stdout, stderr) = CliRunner.Run("fix", file, "--dry-run");
        Assert.Equal(0, code);
        Assert.Equal(MissingFlush, File.ReadAllText(file));
        var expected = $"--- a/{file.Replace('\\', '/')}\n+++ b/{file.Replace('\\', '/')}\n@@ -8,6 +8,7 @@\n     {{\n         var table = PteOffsetKernel(pmdp, addr);\n         PmdClear(pmdp);\n+        FlushTlbKernelPgtable(addr);\n         if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))\n         {{\n             MmapReadLock(InitMm);\n";
        Assert.Equal(expected, stdout);
        Assert.Contains("dry run, nothing written", stderr);
    }

    [Fact]
    public void Rule_option_fixes_only_that_rule()
    {
        var dir = TempFolder.Create(("Free.cs", MissingFlush), ("Walker.cs", Uncounted));
        var (code, stdout, _) = CliRunner.Run("fix", dir, "--rule", "PTG0011");
        Assert.Equal(0, code);
        Assert.Equal(MissingFlush, File.ReadAllText(Path.Combine(dir, "Free.cs")));
        var walker = File.ReadAllText(Path.Combine(dir, "Walker.cs"));
        Assert.Contains("StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);", walker);
        Assert.Contains("StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);", walker);
        Assert.Equal(2, stdout.Split('\n').Count(l => l.Contains("fixed PTG0011", StringComparison.Ordinal)));
    }

    [Fact]
    public void Protocol_comes_from_editorconfig_unless_given()
    {
        const string untested = """
            using PtGuard.Runtime;
            using static PtGuard.Runtime.Kernel;

            static class Huge
            {
                public static int Map(PmdPtr pmdp, ulong addr)
                {
                    MmapReadTrylock(InitMm);
                    PtGuard.Runtime.Reference.ProtocolB.PmdFreePtePage(pmdp, addr);
                    MmapReadUnlock(InitMm);
                    return 1;
                }
            }
            """;
        var dir = TempFolder.Create(("Huge.cs", untested), (".editorconfig", "root = true\n\n[*.cs]\nptguard_protocol = b\n"));
        var (code, _, stderr) = CliRunner.Run("fix", dir);
        Assert.True(code == 0, stderr);
        Assert.Contains("if (!MmapReadTrylock(InitMm))\n            return 0;", File.ReadAllText(Path.Combine(dir, "Huge.cs")));
    }

    [Theory]
    [InlineData("fix", "does/not/exist.cs")]
    [InlineData("fix")]
    [InlineData("fix", "x.cs", "--rule", "PTG9999")]
    [InlineData("fix", "x.cs", "--protocol", "c")]
    [InlineData("fix", "--bogus", "x.cs")]
    public void Bad_input_exits_2_with_one_clear_line(params string[] args)
    {
        var (code, _, stderr) = CliRunner.Run(args);
        Assert.Equal(2, code);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("ptguard", lines[0]);
    }

    [Fact]
    public void Code_that_does_not_compile_is_reported_and_left_alone()
    {
        var dir = TempFolder.Create(("Broken.cs", MissingFlush.Replace("PmdClear(pmdp);", "PmdClear(pmdp)")));
        var before = File.ReadAllText(Path.Combine(dir, "Broken.cs"));
        var (code, _, stderr) = CliRunner.Run("fix", dir);
        Assert.Equal(2, code);
        Assert.Matches(@"Broken\.cs\(\d+,\d+\): error CS1002", stderr);
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir, "Broken.cs")));
    }

    /// <summary>
    /// Held-out style: freeing paths nobody fixed by hand (a sample of the generated corpus), rewritten by
    /// <c>ptguard fix</c>, then judged by <c>ptguard check</c>: nothing is reported any more.
    /// </summary>
    [Fact]
    public void Generated_flagged_paths_are_clean_after_fix()
    {
        var variants = FreeingVariants.All().Where((_, i) => i % 7 == 3).ToList();
        var files = variants.Select(v => (v.ClassName + ".cs", "using PtGuard.Runtime;\nusing PtGuard.Runtime.Reference;\nusing static PtGuard.Runtime.Kernel;\n\n" + v.Source))
            .Append(("Support.cs", FreeingVariants.Support)).ToArray();
        var dir = TempFolder.Create(files);
        var before = CliRunner.Run("check", dir, "--protocol", "a");
        Assert.Equal(1, before.Exit);
        var flagged = before.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('(')[0]).Distinct().Count();
        Assert.True(flagged > 40, $"only {flagged} flagged files");

        var (code, stdout, stderr) = CliRunner.Run("fix", dir, "--protocol", "a");
        Assert.True(code == 0, stderr);
        var after = CliRunner.Run("check", dir, "--protocol", "a");
        Assert.True(after.Exit == 0, $"{flagged} flagged files; still reported after fix:\n{after.Out}\n{stdout}");
    }
}
