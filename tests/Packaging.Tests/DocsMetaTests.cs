namespace PtGuard.Packaging.Tests;

/// <summary>What every rule owes its users: a docs page from the template, a release-file line, a README row, and a help link that arrives.</summary>
public class DocsMetaTests
{
    public static TheoryData<string> Ids() => new(RuleCatalog.Descriptors.Select(d => d.Id));

    private static Microsoft.CodeAnalysis.DiagnosticDescriptor Descriptor(string id) => RuleCatalog.Descriptors.Single(d => d.Id == id);

    [Fact]
    public void There_are_fourteen_rules()
    {
        Assert.Equal(Enumerable.Range(1, 14).Select(i => $"PTG{i:0000}"), RuleCatalog.Descriptors.Select(d => d.Id));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Help_link_points_at_a_file_of_this_repository(string id)
    {
        var path = RuleCatalog.RepositoryPath(Descriptor(id).HelpLinkUri);
        Assert.NotNull(path);
        Assert.True(File.Exists(Repo.PathOf(path!.Split('/'))), $"{Descriptor(id).HelpLinkUri} points at {path}, which does not exist");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Docs_page_follows_the_template_and_states_what_the_descriptor_says(string id)
    {
        var d = Descriptor(id);
        var text = File.ReadAllText(Repo.PathOf("docs", "rules", id + ".md")).Replace("\r\n", "\n");
        Assert.StartsWith($"# {id}: {d.Title}\n", text, StringComparison.Ordinal);
        Assert.Contains($"| ID | {id} |", text, StringComparison.Ordinal);
        Assert.Contains($"| Category | {d.Category} |", text, StringComparison.Ordinal);
        Assert.Contains($"| Severity | {d.DefaultSeverity} |", text, StringComparison.Ordinal);
        Assert.Contains(RuleCatalog.HasCodeFix(id) ? "| Code fix | Yes" : "| Code fix | No", text, StringComparison.Ordinal);
        var sections = new[] { "## Cause", "## Rule description", "## How to fix", "## When to suppress", "## Known limitations" };
        var positions = sections.Select(s => text.IndexOf("\n" + s + "\n", StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p > 0, $"{id}.md lacks a section of the template"));
        Assert.Equal(positions.Order(), positions);
        // How to fix shows code before and after.
        var fix = text[positions[2]..positions[3]];
        Assert.Contains("Before", fix, StringComparison.Ordinal);
        Assert.Contains("After", fix, StringComparison.Ordinal);
        Assert.True(fix.Split("```csharp").Length >= 3, $"{id}.md: How to fix needs a before and an after code block");
        // The rule description says which kernel history motivates the rule.
        var description = text[positions[1]..positions[2]];
        Assert.Matches(@"Linux|kernel|v\d|pre-patch|2026|arm64", description);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Release_file_has_the_rule_with_its_category_and_severity(string id)
    {
        var d = Descriptor(id);
        var lines = new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" }
            .SelectMany(f => File.ReadAllLines(Repo.PathOf("src", "Analyzers", f)))
            .Where(l => l.StartsWith(id + " ", StringComparison.Ordinal))
            .ToList();
        var line = Assert.Single(lines);
        var cells = line.Split('|').Select(c => c.Trim()).ToArray();
        Assert.Equal(d.Category, cells[1]);
        Assert.Equal(d.DefaultSeverity.ToString(), cells[2]);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void Readme_and_the_rules_index_have_a_row_for_the_rule(string id)
    {
        var d = Descriptor(id);
        var readme = File.ReadAllText(Repo.PathOf("README.md"));
        Assert.Contains($"| {id} | {d.Title} | {d.DefaultSeverity} | {d.Category} |", RuleCatalog.ReadmeTable(readme), StringComparison.Ordinal);
        var index = File.ReadAllText(Repo.PathOf("docs", "rules", "README.md"));
        Assert.Contains($"| [{id}]({id}.md) | {d.Title} | {d.Category} | {d.DefaultSeverity} |", index, StringComparison.Ordinal);
    }
}
