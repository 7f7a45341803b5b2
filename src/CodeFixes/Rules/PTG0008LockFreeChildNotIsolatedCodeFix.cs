using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.CodeFixes.Rules;

/// <summary>
/// PTG0008: the child free takes its own cycle: the constant <c>false</c> that skipped it (<c>acquireMmapLock: false</c>)
/// becomes <c>true</c>; a child freed in this method without such a flag gets the key-guarded cycle before its free.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0008LockFreeChildNotIsolatedCodeFix)), Shared]
public sealed class PTG0008LockFreeChildNotIsolatedCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Let the child free take the lock cycle.</summary>
    public const string TakeLockKey = "PTG0008TakeLock";

    private protected override string DiagnosticId => DiagnosticIds.LockFreeChildNotIsolated;

    private protected override FixPlan? Plan(FixSite site)
    {
        if (site.Property(Keys.LockFreeParameter) is not { } parameter) return PTG0004MissingLockCycleCodeFix.InsertCycleBeforeFree(site, TakeLockKey);
        if (site.ReportedInvocation is not { } call || site.Model.GetOperation(call) is not IInvocationOperation invocation) return null;
        var argument = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == parameter && a.ArgumentKind == ArgumentKind.Explicit);
        if (argument?.Value.Syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.ExpressionSyntax value || !value.IsKind(SyntaxKind.FalseLiteralExpression)) return null;
        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(value);
        return new FixPlan($"Take the lock cycle for this child ({parameter}: true)", TakeLockKey, site, editor => editor.ReplaceNode(value, replacement));
    }
}
