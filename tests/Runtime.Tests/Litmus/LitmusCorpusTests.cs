using PtGuard.Runtime.Litmus;
using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Litmus;

/// <summary>The judge of the model: herd7's verdict on every test of expected.tsv, read from the file.</summary>
public class LitmusCorpusTests
{
    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, verdict) in LitmusCorpus.Expected()) data.Add(path, verdict);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Arm64_gives_herd7s_verdict(string path, string herd7)
    {
        var result = LitmusRunner.RunFile(Path.Combine(LitmusCorpus.Root, path), MemoryModel.Arm64);
        Assert.Equal(herd7, result.Verdict);
        Assert.Null(result.StoppedBy);
        Assert.True(result.Executions > 0);
        // Optimal reduction: no execution visited twice.
        Assert.Equal(result.Executions, result.Distinct);
        if (result.Allowed) Assert.NotNull(result.Witness);
    }

    [Fact]
    public void Expected_tsv_lists_the_47_herd7_tests_and_each_file_exists()
    {
        var rows = LitmusCorpus.Expected().ToList();
        Assert.Equal(47, rows.Count);
        Assert.All(rows, r => Assert.True(File.Exists(Path.Combine(LitmusCorpus.Root, r.Path)), r.Path));
        Assert.All(rows, r => Assert.Contains(r.Verdict, new[] { "Allowed", "Forbidden" }));
    }

    [Fact]
    public void Repository_copy_matches_shared_litmus_when_present()
    {
        var shared = LitmusCorpus.Shared;
        if (shared is null) return; // a clean clone without shared/: the repository copy is the reference
        foreach (var file in Directory.EnumerateFiles(shared, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".litmus") || f.EndsWith(".tsv")))
        {
            var rel = Path.GetRelativePath(shared, file);
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(LitmusCorpus.Root, rel)));
        }
    }
}
