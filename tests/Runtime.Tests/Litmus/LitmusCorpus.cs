namespace PtGuard.Runtime.Tests.Litmus;

/// <summary>Finds the repository's copy of the herd7 corpus (and the shared original, when present).</summary>
internal static class LitmusCorpus
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PtGuard.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("cannot find PtGuard.sln above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>tests/Runtime.Tests/Litmus/corpus in the repository.</summary>
    public static string Root => Path.Combine(RepoRoot, "tests", "Runtime.Tests", "Litmus", "corpus");

    /// <summary>../shared/litmus beside the repository, or null on a machine without it.</summary>
    public static string? Shared
    {
        get
        {
            var p = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "litmus"));
            return Directory.Exists(p) ? p : null;
        }
    }

    /// <summary>The rows of expected.tsv: relative path and herd7's verdict.</summary>
    public static IEnumerable<(string Path, string Verdict)> Expected() =>
        File.ReadAllLines(Path.Combine(Root, "expected.tsv"))
            .Where(l => l.Trim().Length > 0)
            .Select(l => l.Split('\t'))
            .Select(f => (f[0], f[1]));
}
