using PtGuard.Runtime.Litmus;
using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Litmus;

/// <summary>herd7's catalogue verdicts (kinds.txt) for 66 more tests: atomics, CSEL pick dependencies, exclusives.</summary>
public class HerdCatalogueTests
{
    private static string Folder => Path.Combine(LitmusCorpus.RepoRoot, "tests", "Runtime.Tests", "Litmus", "herd-extra");

    public static TheoryData<string, string> Catalogue()
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
    [MemberData(nameof(Catalogue))]
    public void Arm64_gives_the_catalogues_verdict(string file, string verdict)
    {
        var r = LitmusRunner.RunFile(Path.Combine(Folder, file), MemoryModel.Arm64);
        Assert.Equal(verdict, r.Verdict);
        Assert.Equal(r.Executions, r.Distinct);
    }

    [Fact]
    public void Every_file_is_listed()
    {
        var listed = Catalogue().Select(row => (string)row[0]).ToHashSet();
        var files = Directory.GetFiles(Folder, "*.litmus", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Folder, f).Replace('\\', '/'));
        Assert.All(files, f => Assert.Contains(f, listed));
        Assert.Equal(66, listed.Count);
    }
}
