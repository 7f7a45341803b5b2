using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.CodeFixes.Rules;

/// <summary>
/// PTG0014: drops the nested lock cycle (the key-guarded <c>if</c>, or the lock and the unlock right after it); the read
/// lock already held protects the free, and the nested one only deadlocks behind a queued writer. A nested lock that is
/// not a cycle, or that sits inside a called helper, is not determinable here.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0014NestedReadLockCodeFix)), Shared]
public sealed class PTG0014NestedReadLockCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Drop the nested cycle.</summary>
    public const string DropNestedCycleKey = "PTG0014DropNestedCycle";

    private protected override string DiagnosticId => DiagnosticIds.NestedReadLock;

    private protected override FixPlan? Plan(FixSite site)
    {
        if (site.CycleStatements(site.InvocationAt(Keys.LockPosition)) is not { } cycle) return null;
        return new FixPlan("Drop the nested lock cycle (the read lock is already held)", DropNestedCycleKey, site, editor =>
        {
            foreach (var s in cycle) editor.RemoveNode(s, SyntaxRemoveOptions.KeepUnbalancedDirectives);
        });
    }
}
