using PtGuard.Runtime.Litmus;
using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Litmus;

/// <summary>
/// Tests of our own (extra/), with verdicts that follow from Arm's published model (the reason is the third
/// column of extra/expected.tsv): they guard against a model fitted to the corpus only.
/// </summary>
public class ExtraLitmusTests
{
    private static string Folder => Path.Combine(LitmusCorpus.RepoRoot, "tests", "Runtime.Tests", "Litmus", "extra");

    public static TheoryData<string, string> Extra()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(Folder, "expected.tsv")).Where(l => l.Length > 0))
        {
            var f = line.Split('\t');
            data.Add(f[0], f[1]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Extra))]
    public void Arm64_verdict_follows_the_model(string file, string verdict)
    {
        var r = LitmusRunner.RunFile(Path.Combine(Folder, file), MemoryModel.Arm64);
        Assert.Equal(verdict, r.Verdict);
        Assert.Equal(r.Executions, r.Distinct);
    }

    [Theory]
    [MemberData(nameof(Extra))]
    public void Sc_never_allows_what_arm64_forbids(string file, string verdict)
    {
        var r = LitmusRunner.RunFile(Path.Combine(Folder, file), MemoryModel.Sc);
        if (verdict == "Forbidden") Assert.Equal("Forbidden", r.Verdict);
    }

    [Fact]
    public void Every_extra_file_is_listed()
    {
        var listed = Extra().Select(row => (string)row[0]).ToHashSet();
        Assert.True(listed.Count >= 10);
        Assert.All(Directory.GetFiles(Folder, "*.litmus"), f => Assert.Contains(Path.GetFileName(f), listed));
    }
}
