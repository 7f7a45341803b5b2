using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace PtGuard.CodeFixes.Infrastructure;

/// <summary>One planned repair: its title, its equivalence key, the syntax edits, and the usings the inserted code needs.</summary>
internal sealed class FixPlan
{
    private readonly Action<SyntaxEditor> _edit;
    private readonly IReadOnlyCollection<string> _usings;
    private readonly string _eol;

    public FixPlan(string title, string equivalenceKey, FixSite site, Action<SyntaxEditor> edit)
    {
        Title = title;
        EquivalenceKey = equivalenceKey;
        _edit = edit;
        _usings = site.Usings.ToList();
        _eol = site.Eol;
    }

    public string Title { get; }

    public string EquivalenceKey { get; }

    /// <summary>The document with the edits made; only the lines the fix is about change.</summary>
    public async Task<Document> ApplyAsync(Document document, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        _edit(editor);
        var root = editor.GetChangedRoot();
        if (root is CompilationUnitSyntax unit) root = AddUsings(unit, _usings, _eol);
        return document.WithSyntaxRoot(root);
    }

    /// <summary>Adds each missing <c>using</c> after the last one (or at the top), one per line.</summary>
    internal static CompilationUnitSyntax AddUsings(CompilationUnitSyntax unit, IEnumerable<string> usings, string eol)
    {
        foreach (var name in usings.OrderBy(u => u, StringComparer.Ordinal))
        {
            var isStatic = name.StartsWith("static ", StringComparison.Ordinal);
            var target = isStatic ? name.Substring("static ".Length) : name;
            if (unit.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.StaticKeyword) == isStatic && u.Name?.ToString() == target)) continue;
            var directive = SyntaxFactory.ParseCompilationUnit($"using {name};{eol}").Usings[0];
            unit = unit.Usings.Count > 0
                ? unit.InsertNodesAfter(unit.Usings.Last(), new[] { directive })
                : unit.WithUsings(SyntaxFactory.SingletonList(directive.WithTrailingTrivia(SyntaxFactory.EndOfLine(eol), SyntaxFactory.EndOfLine(eol))));
        }
        return unit;
    }
}

/// <summary>Edits several fixes share.</summary>
internal static class Edits
{
    /// <summary>Moves <paramref name="statements"/> (consecutive, one block) to right after <paramref name="after"/>, trivia included.</summary>
    public static void MoveAfter(SyntaxEditor editor, IReadOnlyList<StatementSyntax> statements, StatementSyntax after, string eol)
    {
        var copies = statements.Select(s => EndsWithNewLine(s, eol)).ToList();
        foreach (var s in statements) editor.RemoveNode(s, SyntaxRemoveOptions.KeepUnbalancedDirectives);
        editor.InsertAfter(after, copies);
    }

    /// <summary>Replaces the name an invocation calls, keeping any qualifier (<c>Kernel.X</c> → <c>Kernel.Y</c>) and trivia.</summary>
    public static InvocationExpressionSyntax Rename(InvocationExpressionSyntax call, string name)
    {
        SimpleNameSyntax Renamed(SimpleNameSyntax old) => SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(name)).WithTriviaFrom(old);
        return call.Expression switch
        {
            MemberAccessExpressionSyntax m => call.WithExpression(m.WithName(Renamed(m.Name))),
            SimpleNameSyntax n => call.WithExpression(Renamed(n)),
            _ => call,
        };
    }

    private static StatementSyntax EndsWithNewLine(StatementSyntax s, string eol) =>
        s.GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)) ? s : s.WithTrailingTrivia(s.GetTrailingTrivia().Add(SyntaxFactory.EndOfLine(eol)));
}
