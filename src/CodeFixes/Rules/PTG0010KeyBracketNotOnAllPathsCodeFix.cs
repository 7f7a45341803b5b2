using System.Collections.Generic;
using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;
using Step = PtGuard.Analyzers.DiagnosticPropertyKeys.StepNames;

namespace PtGuard.CodeFixes.Rules;

/// <summary>
/// PTG0010: a walk reached without the key on some path gets its own counted bracket (a balanced Inc/Dec pair, so the
/// paths that already raised the key stay balanced); a raise not lowered on every path gets its statements up to the
/// matching <c>StaticBranchDec</c> wrapped in <c>try</c>, with the decrement in the <c>finally</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0010KeyBracketNotOnAllPathsCodeFix)), Shared]
public sealed class PTG0010KeyBracketNotOnAllPathsCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Raise the walker key around the walk.</summary>
    public const string BracketWalkKey = "PTG0010BracketWalk";

    /// <summary>Lower the key in a finally.</summary>
    public const string DecrementInFinallyKey = "PTG0010DecrementInFinally";

    private protected override string DiagnosticId => DiagnosticIds.KeyBracketNotOnAllPaths;

    private protected override FixPlan? Plan(FixSite site) =>
        site.Property(Keys.Step) == Step.KeyDec ? DecrementInFinally(site) : PTG0009WalkWithoutKeyBracketCodeFix.BracketWalk(site, BracketWalkKey);

    private static FixPlan? DecrementInFinally(FixSite site)
    {
        var raiseCall = site.InvocationAt(Keys.WalkPosition);
        if (FixSite.CallStatement(raiseCall) is not { Parent: BlockSyntax block } raise) return null;
        var key = raiseCall!.ArgumentList.Arguments.FirstOrDefault()?.Expression.ToString();
        var start = block.Statements.IndexOf(raise) + 1;
        var end = -1;
        for (var i = start; i < block.Statements.Count && end < 0; i++)
        {
            if (block.Statements[i] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } && site.Target(call) is { } m
                && KernelApi.Mode(m, "UpdatesStaticKeyAttribute") == 1 && call.ArgumentList.Arguments.FirstOrDefault()?.Expression.ToString() == key)
            {
                end = i;
            }
        }
        if (end <= start) return null;
        var body = block.Statements.Skip(start).Take(end - start).ToList();
        var lower = block.Statements[end];
        if (DeclaresWhatIsUsedAfter(body, block.Statements.Skip(end + 1))) return null;
        var bracket = site.NewStatement($"try\n{{\n{site.Nested(body)}\n}}\nfinally\n{{\n{site.Nested(new[] { lower })}\n}}", body[0]);
        return new FixPlan("Lower the walker key in a finally", DecrementInFinallyKey, site,
            editor => FixSite.ReplaceStatements(editor, body.Append(lower).ToList(), new[] { bracket }));
    }

    /// <summary>Whether a local declared in <paramref name="moved"/> is named in <paramref name="after"/> (it would leave scope in the try).</summary>
    private static bool DeclaresWhatIsUsedAfter(IEnumerable<StatementSyntax> moved, IEnumerable<StatementSyntax> after)
    {
        var declared = new HashSet<string>(moved.OfType<LocalDeclarationStatementSyntax>().SelectMany(d => d.Declaration.Variables).Select(v => v.Identifier.ValueText));
        return declared.Count > 0 && after.SelectMany(s => s.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>()).Any(n => declared.Contains(n.Identifier.ValueText));
    }
}
