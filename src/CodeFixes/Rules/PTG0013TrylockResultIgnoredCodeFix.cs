using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;

namespace PtGuard.CodeFixes.Rules;

/// <summary>
/// PTG0013: tests the trylock and gives up when it fails, as Protocol B's <c>vmap_try_huge_pmd</c>:
/// <c>MmapReadTrylock(InitMm);</c> becomes <c>if (!MmapReadTrylock(InitMm)) return …;</c>; a result kept in a variable is
/// tested right after it is stored.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0013TrylockResultIgnoredCodeFix)), Shared]
public sealed class PTG0013TrylockResultIgnoredCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Test the trylock's result.</summary>
    public const string TestTrylockKey = "PTG0013TestTrylock";

    private protected override string DiagnosticId => DiagnosticIds.TrylockResultIgnored;

    private protected override FixPlan? Plan(FixSite site)
    {
        if (site.ReportedInvocation is not { } trylock || FixSite.StatementInBlock(trylock) is not { } statement) return null;
        // Reported at a helper's call (the trylock is inside it), the call is not the trylock: no local test fixes that.
        if (site.Model.GetSymbolInfo(trylock).Symbol is not IMethodSymbol called || MethodSteps.Read(called.OriginalDefinition).TryAcquires < 0) return null;
        if (Snippets.GiveUp(site, statement) is not { } giveUp) return null;
        string? tested = statement switch
        {
            ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } when call == trylock => null,
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "_" } } a } when a.Right == trylock => null,
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } a } when a.Right == trylock && a.IsKind(SyntaxKind.SimpleAssignmentExpression) => name.Identifier.ValueText,
            LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } v } when v[0].Initializer?.Value == trylock => v[0].Identifier.ValueText,
            _ => "",
        };
        if (tested == "") return null;
        if (tested is null)
        {
            var test = site.NewStatement($"if (!{trylock})\n    {giveUp}", statement);
            return new FixPlan("Give up when the trylock fails", TestTrylockKey, site, editor => FixSite.ReplaceStatements(editor, new[] { statement }, new[] { test }));
        }
        var check = site.NewStatement($"if (!{tested})\n    {giveUp}", statement);
        return new FixPlan($"Give up when the trylock fails (`{tested}` is false)", TestTrylockKey, site, editor => editor.InsertAfter(statement, check));
    }
}
