namespace PtGuard.Cli.Tests;

public class UsageTests
{
    [Fact]
    public void No_command_is_a_usage_error_with_one_line_and_exit_2()
    {
        var (exit, _, err) = CliRunner.Run();
        Assert.Equal(2, exit);
        Assert.Single(err.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("explore", "v6", "--bogus")]
    [InlineData("explore", "v6", "--model", "x86")]
    [InlineData("explore", "v6", "--strategy", "dfs")]
    [InlineData("explore", "v6", "--seed", "abc")]
    [InlineData("explore", "no-such-scenario")]
    [InlineData("explore")]
    [InlineData("litmus", "--bogus", "x.litmus")]
    [InlineData("litmus")]
    [InlineData("litmus", "does/not/exist.litmus")]
    [InlineData("litmus", "x.litmus", "--format", "xml")]
    [InlineData("ptdump", "--scenario", "no-such-scenario")]
    [InlineData("ptdump", "--bogus")]
    [InlineData("frobnicate")]
    public void Usage_errors_exit_2_with_one_clear_line_on_stderr(params string[] args)
    {
        var (exit, _, err) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        var lines = err.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("ptguard", lines[0]);
        Assert.DoesNotContain("   at ", err); // never a stack trace
    }

    [Fact]
    public void Help_lists_the_commands_and_exits_0()
    {
        var (exit, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("litmus", output);
        Assert.Contains("explore", output);
        Assert.Contains("ptdump", output);
    }
}
