namespace PtGuard.Cli.Tests;

/// <summary>Runs <c>ptguard</c> in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PtGuard.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("cannot find PtGuard.sln above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The repository's copy of the herd7 corpus.</summary>
    public static string Corpus => Path.Combine(RepoRoot, "tests", "Runtime.Tests", "Litmus", "corpus");
}
