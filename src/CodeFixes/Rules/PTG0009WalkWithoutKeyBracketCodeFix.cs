using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.CodeFixes.Rules;

/// <summary>PTG0009: brackets the walk with <c>StaticBranchInc(key); try { walk } finally { StaticBranchDec(key); }</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0009WalkWithoutKeyBracketCodeFix)), Shared]
public sealed class PTG0009WalkWithoutKeyBracketCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Raise the walker key around the walk.</summary>
    public const string BracketWalkKey = "PTG0009BracketWalk";

    private protected override string DiagnosticId => DiagnosticIds.WalkWithoutKeyBracket;

    private protected override FixPlan? Plan(FixSite site) => BracketWalk(site, BracketWalkKey);

    /// <summary>The bracket around the statement of the walk at <c>WalkPosition</c> (shared with PTG0010).</summary>
    internal static FixPlan? BracketWalk(FixSite site, string key)
    {
        // The walk itself, or the call in this method that leads to it.
        var walk = site.InvocationAt(Keys.WalkPosition) ?? site.ReportedInvocation;
        // A declaration would take its variable into the try's scope: only statements that declare nothing are wrapped.
        if (FixSite.StatementInBlock(walk) is not { } statement || statement is not (ExpressionStatementSyntax or ReturnStatementSyntax)) return null;
        var position = statement.SpanStart;
        if (site.WalkerKey(position) is not { } walkerKey || site.Kernel.KeyInc is not { } inc || site.Kernel.KeyDec is not { } dec) return null;
        var raise = site.NewStatement($"{site.Call(inc, position)}({walkerKey});", statement);
        var bracket = site.NewStatement($"try\n{{\n{site.Nested(new[] { statement })}\n}}\nfinally\n{{\n    {site.Call(dec, position)}({walkerKey});\n}}", statement);
        return new FixPlan($"Raise {walkerKey} around the walk (StaticBranchInc, try/finally StaticBranchDec)", key, site,
            editor => FixSite.ReplaceStatements(editor, new[] { statement }, new[] { raise, bracket }));
    }
}
