using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.CodeFixes.Rules;

/// <summary>PTG0002: inserts <c>FlushTlbKernelPgtable(addr)</c> right after the clear (else right before the free), with the table's address.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0002MissingFlushCodeFix)), Shared]
public sealed class PTG0002MissingFlushCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Insert the walk-cache flush after the clear.</summary>
    public const string InsertFlushKey = "PTG0002InsertFlush";

    private protected override string DiagnosticId => DiagnosticIds.MissingFlush;

    private protected override FixPlan? Plan(FixSite site) => InsertFlush(site, InsertFlushKey);

    /// <summary>The flush of <c>Address</c> after the clear at <c>ClearPosition</c>, else before the free (shared with PTG0005).</summary>
    internal static FixPlan? InsertFlush(FixSite site, string key)
    {
        if (site.Property(Keys.Address) is not { } address || FixSite.StatementInBlock(site.InvocationAt(Keys.FreePosition)) is not { } free) return null;
        var clear = FixSite.StatementInBlock(site.InvocationAt(Keys.ClearPosition));
        var afterClear = clear?.Parent is BlockSyntax block && block.Span.Contains(free.Span) && clear.SpanStart < free.SpanStart;
        var anchor = afterClear ? clear! : free;
        var position = afterClear ? clear!.Span.End : free.SpanStart;
        // The address as written at the derivation must still mean the same variable here.
        if (!site.Binds(address, position) || site.Kernel.WalkCacheFlush is not { } flush) return null;
        var statement = site.NewStatement($"{site.Call(flush, position)}({address});", anchor);
        return new FixPlan($"Flush the walk cache for `{address}` after the clear", key, site, editor =>
        {
            if (afterClear) editor.InsertAfter(anchor, statement);
            else editor.InsertBefore(anchor, statement);
        });
    }
}
