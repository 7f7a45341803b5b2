using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.CodeFixes.Rules;

/// <summary>PTG0004: inserts the walker-key-guarded init_mm lock cycle right before the free (the flush already precedes it).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0004MissingLockCycleCodeFix)), Shared]
public sealed class PTG0004MissingLockCycleCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Insert the key-guarded lock cycle before the free.</summary>
    public const string InsertLockCycleKey = "PTG0004InsertLockCycle";

    private protected override string DiagnosticId => DiagnosticIds.MissingLockCycle;

    private protected override FixPlan? Plan(FixSite site) => InsertCycleBeforeFree(site, InsertLockCycleKey);

    /// <summary>The keyed cycle inserted before the free at <c>FreePosition</c> (shared with PTG0008).</summary>
    internal static FixPlan? InsertCycleBeforeFree(FixSite site, string key)
    {
        if (FixSite.StatementInBlock(site.InvocationAt(Keys.FreePosition)) is not { } free) return null;
        if (Snippets.KeyedCycle(site, free.SpanStart) is not { } code) return null;
        var cycle = site.NewStatement(code, free);
        return new FixPlan($"Run the key-guarded lock cycle before freeing `{site.Property(Keys.Table)}`", key, site, editor => editor.InsertBefore(free, cycle));
    }
}
