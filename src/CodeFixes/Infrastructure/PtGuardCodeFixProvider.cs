using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace PtGuard.CodeFixes.Infrastructure;

/// <summary>
/// The shape every PtGuard fix shares: one rule per provider, the repair planned from the diagnostic's properties when
/// the light bulb asks (so an action is offered only where it applies), and Fix All through
/// <see cref="PtGuardFixAllProvider"/>, which re-analyses between fixes so several fixes in one method compose.
/// </summary>
public abstract class PtGuardCodeFixProvider : CodeFixProvider
{
    private protected PtGuardCodeFixProvider()
    {
    }

    /// <summary>The rule this provider fixes.</summary>
    private protected abstract string DiagnosticId { get; }

    /// <inheritdoc/>
    public sealed override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(DiagnosticId);

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => PtGuardFixAllProvider.Instance;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            foreach (var plan in await PlanAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false))
            {
                context.RegisterCodeFix(CodeAction.Create(plan.Title, ct => plan.ApplyAsync(context.Document, ct), plan.EquivalenceKey), diagnostic);
            }
        }
    }

    /// <summary>The repairs for <paramref name="diagnostic"/> in <paramref name="document"/>, most preferred first; empty when none is determinable.</summary>
    internal async Task<IReadOnlyList<FixPlan>> PlanAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (diagnostic.Id != DiagnosticId || !diagnostic.Location.IsInSource) return System.Array.Empty<FixPlan>();
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || diagnostic.Location.SourceTree != root.SyntaxTree || KernelApi.For(model.Compilation) is not { } kernel)
        {
            return System.Array.Empty<FixPlan>();
        }
        var plans = new List<FixPlan>();
        var site = new FixSite(document, root, model, text, diagnostic, kernel);
        if (Plan(site) is { } plan) plans.Add(plan);
        return plans;
    }

    /// <summary>Plans the repair of <see cref="FixSite.Diagnostic"/>, or returns null when it is not determinable here.</summary>
    private protected abstract FixPlan? Plan(FixSite site);
}
