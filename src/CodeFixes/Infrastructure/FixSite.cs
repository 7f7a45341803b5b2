using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using PtGuard.Analyzers;

namespace PtGuard.CodeFixes.Infrastructure;

/// <summary>
/// One diagnostic in its document, with what a fix needs to plan an edit: the findings the analyzer put in the
/// diagnostic's properties, the syntax at the positions they name, the kernel API and the document's layout (indent,
/// line ending), and the C# that names the walker key and <c>InitMm</c> at a given place.
/// </summary>
internal sealed class FixSite
{
    public FixSite(Document document, SyntaxNode root, SemanticModel model, SourceText text, Diagnostic diagnostic, KernelApi kernel)
    {
        Document = document;
        Root = root;
        Model = model;
        Text = text;
        Diagnostic = diagnostic;
        Kernel = kernel;
        Eol = text.ToString().Contains("\r\n") ? "\r\n" : "\n";
    }

    public Document Document { get; }

    public SyntaxNode Root { get; }

    public SemanticModel Model { get; }

    public SourceText Text { get; }

    public Diagnostic Diagnostic { get; }

    public KernelApi Kernel { get; }

    /// <summary>The document's line ending.</summary>
    public string Eol { get; }

    /// <summary>Namespaces (and <c>static</c> types) the planned code needs imported.</summary>
    public HashSet<string> Usings { get; } = new();

    public string? Property(string key) => Diagnostic.Properties.TryGetValue(key, out var v) ? v : null;

    public int? Position(string key) =>
        Property(key) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p >= 0 && p < Root.FullSpan.End ? p : null;

    /// <summary>The invocation starting at the position stored under <paramref name="key"/>.</summary>
    public InvocationExpressionSyntax? InvocationAt(string key) => Position(key) is { } p ? InvocationStartingAt(p) : null;

    /// <summary>The invocation the diagnostic is reported on.</summary>
    public InvocationExpressionSyntax? ReportedInvocation =>
        Diagnostic.Location.SourceTree == Root.SyntaxTree ? InvocationStartingAt(Diagnostic.Location.SourceSpan.Start) : null;

    public InvocationExpressionSyntax? InvocationStartingAt(int position) =>
        Root.FindToken(position).Parent?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i => i.SpanStart == position);

    public IMethodSymbol? Target(InvocationExpressionSyntax invocation) => Model.GetSymbolInfo(invocation).Symbol as IMethodSymbol;

    /// <summary>The statement holding <paramref name="node"/>, when it sits directly in a block (where statements can be inserted around it).</summary>
    public static StatementSyntax? StatementInBlock(SyntaxNode? node) =>
        node?.FirstAncestorOrSelf<StatementSyntax>() is { Parent: BlockSyntax } s ? s : null;

    /// <summary>The statement the whole invocation is (<c>Call(...);</c>), in a block.</summary>
    public static ExpressionStatementSyntax? CallStatement(InvocationExpressionSyntax? invocation) =>
        invocation?.Parent is ExpressionStatementSyntax { Parent: BlockSyntax } s ? s : null;

    /// <summary>The statement of <paramref name="block"/> that contains <paramref name="node"/>.</summary>
    public static StatementSyntax? StatementIn(SyntaxNode? node, SyntaxNode? block) =>
        block is null ? null : node?.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault(s => s.Parent == block);

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are statements of the same block, <paramref name="a"/> first.</summary>
    public static bool SameBlockBefore(StatementSyntax? a, StatementSyntax? b) =>
        a is not null && b is not null && a.Parent is BlockSyntax && a.Parent == b.Parent && a.SpanStart < b.SpanStart;

    /// <summary>
    /// The statements that make up the lock cycle around <paramref name="lockCall"/>: the <c>if</c> whose block is exactly
    /// the lock and its unlock (a key-guarded cycle), or the lock statement and the unlock right after it.
    /// </summary>
    public IReadOnlyList<StatementSyntax>? CycleStatements(InvocationExpressionSyntax? lockCall)
    {
        var lockStatement = CallStatement(lockCall);
        if (lockStatement?.Parent is not BlockSyntax block) return null;
        if (block.Parent is IfStatementSyntax { Else: null, Parent: BlockSyntax } guarded && block.Statements.Count == 2
            && block.Statements[0] == lockStatement && IsRelease(block.Statements[1]) && ConditionIsKeyTests(guarded.Condition))
        {
            return new StatementSyntax[] { guarded };
        }
        var index = block.Statements.IndexOf(lockStatement);
        return index + 1 < block.Statements.Count && IsRelease(block.Statements[index + 1]) ? new[] { lockStatement, block.Statements[index + 1] } : null;
    }

    /// <summary>Whether <paramref name="statement"/> is <c>Release(mm);</c> of a method carrying <c>[ReleasesLock]</c>.</summary>
    public bool IsRelease(StatementSyntax statement) =>
        statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } && Target(call) is { } m && KernelApi.Has(m, "ReleasesLockAttribute");

    /// <summary>A condition made of key tests, bool names and <c>&amp;&amp;</c> only (nothing that a removal or move would lose).</summary>
    private bool ConditionIsKeyTests(ExpressionSyntax condition) => condition switch
    {
        BinaryExpressionSyntax b when b.IsKind(SyntaxKind.LogicalAndExpression) => ConditionIsKeyTests(b.Left) && ConditionIsKeyTests(b.Right),
        ParenthesizedExpressionSyntax p => ConditionIsKeyTests(p.Expression),
        IdentifierNameSyntax => true,
        InvocationExpressionSyntax call => Target(call) is { } m && KernelApi.Has(m, "StaticKeyTestAttribute"),
        _ => false,
    };

    /// <summary>The indentation of the line <paramref name="node"/> starts on.</summary>
    public string IndentOf(SyntaxNode node)
    {
        var line = Text.Lines.GetLineFromPosition(node.SpanStart);
        var text = Text.ToString(TextSpan.FromBounds(line.Start, node.SpanStart));
        return new string(text.TakeWhile(c => c == ' ' || c == '\t').ToArray());
    }

    /// <summary>One level of indentation as the document writes it.</summary>
    public string IndentUnit(SyntaxNode node) => IndentOf(node).Contains('\t') ? "\t" : "    ";

    /// <summary>
    /// Parses <paramref name="code"/> (lines separated by <c>\n</c>, nested lines indented by four spaces) into a statement
    /// laid out like <paramref name="like"/>: its indentation on every line, the document's indent unit and line ending.
    /// </summary>
    public StatementSyntax NewStatement(string code, SyntaxNode like)
    {
        var indent = IndentOf(like);
        var unit = IndentUnit(like);
        var lines = code.Split('\n').Select(l =>
        {
            if (l.Length == 0) return l;
            var depth = 0;
            while (l.Length >= (depth + 1) * 4 && l.Substring(depth * 4, 4) == "    ") depth++;
            return indent + string.Concat(Enumerable.Repeat(unit, depth)) + l.Substring(depth * 4);
        });
        return SyntaxFactory.ParseStatement(string.Join(Eol, lines) + Eol);
    }

    /// <summary>
    /// The text of <paramref name="statements"/> (consecutive, from the first one's start to the last one's end, comments
    /// between them included) with every line one level deeper, in the form <see cref="NewStatement"/> reads.
    /// </summary>
    public string Nested(IReadOnlyList<StatementSyntax> statements)
    {
        var first = statements[0];
        var indent = IndentOf(first);
        var unit = IndentUnit(first);
        var text = Text.ToString(TextSpan.FromBounds(first.SpanStart, statements[statements.Count - 1].Span.End));
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].StartsWith(indent, System.StringComparison.Ordinal) ? lines[i].Substring(indent.Length) : lines[i].TrimStart(' ', '\t');
            lines[i] = line.Length == 0 ? "" : "    " + Canonical(line, unit);
        }
        lines[0] = "    " + lines[0];
        return string.Join("\n", lines);
    }

    /// <summary>
    /// Replaces the consecutive <paramref name="statements"/> of one block by <paramref name="replacement"/>, which
    /// takes over the first one's leading trivia (comments above it stay above).
    /// </summary>
    public static void ReplaceStatements(Microsoft.CodeAnalysis.Editing.SyntaxEditor editor, IReadOnlyList<StatementSyntax> statements, IEnumerable<StatementSyntax> replacement)
    {
        var list = replacement.ToList();
        list[0] = list[0].WithLeadingTrivia(statements[0].GetLeadingTrivia());
        editor.InsertBefore(statements[0], list);
        foreach (var s in statements) editor.RemoveNode(s, SyntaxRemoveOptions.KeepUnbalancedDirectives);
    }

    /// <summary>Rewrites a line's leading indent units as four spaces each (the form <see cref="NewStatement"/> reads).</summary>
    private static string Canonical(string line, string unit)
    {
        var depth = 0;
        while (line.Length >= (depth + 1) * unit.Length && line.Substring(depth * unit.Length, unit.Length) == unit) depth++;
        return string.Concat(Enumerable.Repeat("    ", depth)) + line.Substring(depth * unit.Length);
    }

    /// <summary>A kernel method's name as callable at <paramref name="position"/>; notes <c>using static</c> when it is not in scope.</summary>
    public string Call(IMethodSymbol method, int position)
    {
        var visible = Model.LookupSymbols(position, name: method.Name).Any(s => SymbolEqualityComparer.Default.Equals(s.ContainingType, method.ContainingType));
        if (!visible) Usings.Add("static " + method.ContainingType.ToDisplayString());
        return method.Name;
    }

    /// <summary><c>InitMm</c> as written at <paramref name="position"/>.</summary>
    public string? InitMm(int position)
    {
        if (Kernel.InitMm is not { } initMm) return null;
        var visible = Model.LookupSymbols(position, name: initMm.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, initMm));
        if (!visible) Usings.Add("static " + initMm.ContainingType.ToDisplayString());
        return initMm.Name;
    }

    /// <summary>The compilation's walker key as C# at <paramref name="position"/> (<c>ProtocolA.Arm64PtdumpLockKey</c>), from the diagnostic's properties.</summary>
    public string? WalkerKey(int position)
    {
        if (Property(DiagnosticPropertyKeys.WalkerKeyType) is not { } typeName || Property(DiagnosticPropertyKeys.WalkerKeyMember) is not { } member) return null;
        var type = FindType(typeName);
        if (type is null) return null;
        var visible = Model.LookupNamespacesAndTypes(position, name: type.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, type));
        if (visible) return type.Name + "." + member;
        var clash = Model.LookupNamespacesAndTypes(position, name: type.Name).Any();
        if (type.ContainingType is null && !clash && !type.ContainingNamespace.IsGlobalNamespace)
        {
            Usings.Add(type.ContainingNamespace.ToDisplayString());
            return type.Name + "." + member;
        }
        return "global::" + typeName + "." + member;
    }

    /// <summary>Whether <paramref name="expression"/> binds to something at <paramref name="position"/> (a variable still in scope there).</summary>
    public bool Binds(string expression, int position)
    {
        var parsed = SyntaxFactory.ParseExpression(expression);
        if (parsed.ContainsDiagnostics) return false;
        var info = Model.GetSpeculativeTypeInfo(position, parsed, SpeculativeBindingOption.BindAsExpression);
        return info.Type is { TypeKind: not TypeKind.Error };
    }

    /// <summary>The type <paramref name="expression"/> has at <paramref name="position"/>.</summary>
    public ITypeSymbol? TypeAt(string expression, int position)
    {
        var parsed = SyntaxFactory.ParseExpression(expression);
        if (parsed.ContainsDiagnostics) return null;
        var type = Model.GetSpeculativeTypeInfo(position, parsed, SpeculativeBindingOption.BindAsExpression).Type;
        return type is { TypeKind: not TypeKind.Error } ? type : null;
    }

    private INamedTypeSymbol? FindType(string displayName)
    {
        var compilation = Model.Compilation;
        if (compilation.GetTypeByMetadataName(displayName) is { } direct) return direct;
        // Nested types: the display name uses '.', the metadata name '+'.
        var parts = displayName.Split('.');
        for (var split = parts.Length - 1; split > 0; split--)
        {
            var outer = compilation.GetTypeByMetadataName(string.Join(".", parts.Take(split)));
            INamedTypeSymbol? current = outer;
            for (var i = split; i < parts.Length && current is not null; i++) current = current.GetTypeMembers(parts[i]).FirstOrDefault();
            if (current is not null) return current;
        }
        return null;
    }
}
