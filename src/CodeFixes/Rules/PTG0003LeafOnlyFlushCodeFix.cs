using System.Composition;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;
using Keys = PtGuard.Analyzers.DiagnosticPropertyKeys;

namespace PtGuard.CodeFixes.Rules;

/// <summary>PTG0003: replaces the leaf-only <c>FlushTlbKernelRange(start, end)</c> by <c>FlushTlbKernelPgtable(addr)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PTG0003LeafOnlyFlushCodeFix)), Shared]
public sealed class PTG0003LeafOnlyFlushCodeFix : PtGuardCodeFixProvider
{
    /// <summary>Replace the leaf-only flush by a walk-cache flush.</summary>
    public const string UseWalkCacheFlushKey = "PTG0003UseWalkCacheFlush";

    private protected override string DiagnosticId => DiagnosticIds.LeafOnlyFlush;

    private protected override FixPlan? Plan(FixSite site)
    {
        if (site.InvocationAt(Keys.FlushPosition) is not { } leaf || site.Target(leaf) is not { } method || !KernelApi.Has(method, "FlushesLeafOnlyAttribute")) return null;
        if (site.Kernel.WalkCacheFlush is not { } flush) return null;
        var address = site.Property(Keys.Address) is { } a && site.Binds(a, leaf.SpanStart) ? a : leaf.ArgumentList.Arguments.FirstOrDefault()?.Expression.ToString();
        if (address is null) return null;
        // Keep a Kernel.X qualifier when the replacement lives in the same type; otherwise call it by its imported name.
        var sameType = SymbolEqualityComparer.Default.Equals(method.ContainingType, flush.ContainingType);
        var name = sameType ? flush.Name : site.Call(flush, leaf.SpanStart);
        var renamed = sameType ? Edits.Rename(leaf, name) : leaf.WithExpression(SyntaxFactory.IdentifierName(name).WithTriviaFrom(leaf.Expression));
        var replacement = renamed.WithArgumentList(SyntaxFactory.ParseArgumentList($"({address})").WithTriviaFrom(leaf.ArgumentList));
        return new FixPlan($"Use {flush.Name}({address}), which flushes the walk cache", UseWalkCacheFlushKey, site, editor => editor.ReplaceNode(leaf, replacement));
    }
}
