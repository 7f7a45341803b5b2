using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using PtGuard.Analyzers;
using PtGuard.CodeFixes;

namespace PtGuard.Packaging.Tests;

/// <summary>Every rule as its descriptor states it, and the README table generated from that.</summary>
internal static class RuleCatalog
{
    public const string TableStart = "<!-- rules-table:start -->";
    public const string TableEnd = "<!-- rules-table:end -->";

    public static IReadOnlyList<DiagnosticDescriptor> Descriptors { get; } =
        PtGuardAnalyzers.All.SelectMany(a => a.SupportedDiagnostics).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();

    public static bool HasCodeFix(string id) => DocumentFixer.FixableIds.Contains(id);

    /// <summary>The repository path a help link points at (<c>docs/rules/PTG0001.md</c>), or null when it leaves the repository.</summary>
    public static string? RepositoryPath(string helpLink)
    {
        const string Prefix = "https://github.com/ptguard/ptguard/blob/main/";
        return helpLink.StartsWith(Prefix, StringComparison.Ordinal) ? helpLink[Prefix.Length..] : null;
    }

    /// <summary>The README's rules table, from the descriptors and the code-fix providers.</summary>
    public static string Table()
    {
        var b = new StringBuilder();
        b.Append("| ID | Title | Severity | Category | Code fix | Docs |\n");
        b.Append("|---|---|---|---|---|---|\n");
        foreach (var d in Descriptors)
        {
            var page = RepositoryPath(d.HelpLinkUri) ?? d.HelpLinkUri;
            b.Append(CultureInfo.InvariantCulture, $"| {d.Id} | {d.Title.ToString(CultureInfo.InvariantCulture)} | {d.DefaultSeverity} | {d.Category} | {(HasCodeFix(d.Id) ? "yes" : "no")} | [{page}]({page}) |\n");
        }
        return b.ToString();
    }

    /// <summary>The text between the README's table markers.</summary>
    public static string ReadmeTable(string readme)
    {
        var start = readme.IndexOf(TableStart, StringComparison.Ordinal);
        var end = readme.IndexOf(TableEnd, StringComparison.Ordinal);
        if (start < 0 || end < start) throw new InvalidOperationException("README.md lost its rules-table markers");
        return readme[(start + TableStart.Length)..end].Trim('\n') + "\n";
    }

    /// <summary>The README with the table between the markers replaced by <paramref name="table"/>.</summary>
    public static string WithTable(string readme, string table)
    {
        var start = readme.IndexOf(TableStart, StringComparison.Ordinal) + TableStart.Length;
        var end = readme.IndexOf(TableEnd, StringComparison.Ordinal);
        return readme[..start] + "\n" + table + readme[end..];
    }
}
