using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.CodeFixes.Rules;

/// <summary>PTG0011: <c>StaticBranchEnable</c> becomes <c>StaticBranchInc</c>, <c>StaticBranchDisable</c> becomes <c>StaticBranchDec</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0011UncountedKeyBracketCodeFix)), Shared]
public sealed class PTG0011UncountedKeyBracketCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Use the counted update.</summary>
    public const string UseCountedKeyKey = "PTG0011UseCountedKey";

    private protected override string DiagnosticId => DiagnosticIds.UncountedKeyBracket;

    private protected override FixPlan? Plan(FixSite site)
    {
        if (site.InvocationAt(Keys.WalkPosition) is not { } call || site.Target(call) is not { } update || KernelApi.CountedCounterpart(update) is not { } counted) return null;
        var replacement = call.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax
            ? Edits.Rename(call, counted.Name)
            : call.WithExpression(SyntaxFactory.IdentifierName(site.Call(counted, call.SpanStart)).WithTriviaFrom(call.Expression));
        return new FixPlan($"Use the counted {counted.Name}", UseCountedKeyKey, site, editor => editor.ReplaceNode(call, replacement));
    }
}
