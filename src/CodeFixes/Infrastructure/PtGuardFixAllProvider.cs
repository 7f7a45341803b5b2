using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using PtGuard.Analyzers;

namespace PtGuard.CodeFixes.Infrastructure;

/// <summary>
/// Fix All for every PtGuard rule, in document, project and solution scope. The batch fixer merges independent text
/// changes and drops those that overlap, which loses the second fix in a method that needs two (a clear and a flush
/// before the same free). This provider instead fixes one diagnostic at a time on the updated document and analyses it
/// again (<see cref="DocumentFixer"/>), until no diagnostic of the rule has a fix with the chosen equivalence key.
/// </summary>
internal sealed class PtGuardFixAllProvider : FixAllProvider
{
    public static readonly PtGuardFixAllProvider Instance = new();

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
        new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var title = fixAllContext.CodeActionEquivalenceKey is { } key ? $"Fix all {string.Join(", ", fixAllContext.DiagnosticIds)} ({key})" : "Fix all PtGuard diagnostics";
        return Task.FromResult<CodeAction?>(CodeAction.Create(title, async ct =>
        {
            var solution = fixAllContext.Solution;
            var ids = fixAllContext.DiagnosticIds.ToImmutableHashSet();
            foreach (var document in Documents(fixAllContext))
            {
                var found = await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
                var first = found.FirstOrDefault(d => ids.Contains(d.Id));
                if (first is null || solution.GetDocument(document.Id) is not { } current) continue;
                var protocol = first.Properties.TryGetValue(DiagnosticPropertyKeys.Protocol, out var p) ? p : null;
                var result = await DocumentFixer.FixAsync(current, ids, fixAllContext.CodeActionEquivalenceKey, protocol, ct).ConfigureAwait(false);
                solution = result.Document.Project.Solution;
            }
            return solution;
        }, fixAllContext.CodeActionEquivalenceKey));
    }

    private static IEnumerable<Document> Documents(FixAllContext context) => context.Scope switch
    {
        FixAllScope.Document when context.Document is { } d => new[] { d },
        FixAllScope.Project => context.Project.Documents,
        FixAllScope.Solution => context.Solution.Projects.SelectMany(p => p.Documents),
        _ => System.Array.Empty<Document>(),
    };
}
