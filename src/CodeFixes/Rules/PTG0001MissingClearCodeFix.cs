using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.CodeFixes.Rules;

/// <summary>PTG0001: clears the entry the freed table was derived from, right after the derivation (else right before the free).</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0001MissingClearCodeFix)), Shared]
public sealed class PTG0001MissingClearCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Insert the clear of the table's own entry.</summary>
    public const string InsertClearKey = "PTG0001InsertClear";

    private protected override string DiagnosticId => DiagnosticIds.MissingClear;

    private protected override FixPlan? Plan(FixSite site)
    {
        if (site.Property(Keys.Entry) is not { } entry || FixSite.StatementInBlock(site.InvocationAt(Keys.FreePosition)) is not { } free) return null;
        // Right after the derivation, so that the clear precedes whatever flush or cycle already follows it.
        var derive = FixSite.StatementInBlock(site.InvocationAt(Keys.DerivePosition));
        var afterDerive = derive?.Parent is BlockSyntax block && block.Span.Contains(free.Span) && derive.SpanStart < free.SpanStart;
        var anchor = afterDerive ? derive! : free;
        var position = afterDerive ? derive!.Span.End : free.SpanStart;
        if (site.Kernel.ClearFor(site.TypeAt(entry, position)) is not { } clear) return null;
        var statement = site.NewStatement($"{site.Call(clear, position)}({entry});", anchor);
        return new FixPlan($"Clear `{entry}` before freeing `{site.Property(Keys.Table)}`", InsertClearKey, site, editor =>
        {
            if (afterDerive) editor.InsertAfter(anchor, statement);
            else editor.InsertBefore(anchor, statement);
        });
    }
}
