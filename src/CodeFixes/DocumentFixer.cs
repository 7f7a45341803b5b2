using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers;
using PtGuard.CodeFixes.Infrastructure;

namespace PtGuard.CodeFixes;

/// <summary>A fix that <see cref="DocumentFixer"/> applied: the rule, where the diagnostic was (1-based, before the fix) and what was done.</summary>
public sealed record AppliedFix(string Id, int Line, int Column, string Title, string EquivalenceKey);

/// <summary>The outcome of fixing one document: the new document and the fixes applied, in order.</summary>
public sealed record DocumentFixResult(Document Document, IReadOnlyList<AppliedFix> Applied);

/// <summary>
/// Applies PtGuard's code fixes to a document until none applies: analyse, fix the first diagnostic (in document order)
/// that has a fix, analyse the updated document again, and so on. Used by Fix All and by <c>ptguard fix</c>.
/// </summary>
public static class DocumentFixer
{
    /// <summary>The most fixes applied to one document: a bound against fixes that undo or repeat one another.</summary>
    public const int MaxFixesPerDocument = 256;

    /// <summary>Every PtGuard rule.</summary>
    public static ImmutableArray<string> AllIds => LazyAnalyzers.Value.Keys.OrderBy(k => k, StringComparer.Ordinal).ToImmutableArray();

    /// <summary>Every PtGuard rule that has a code fix.</summary>
    public static ImmutableArray<string> FixableIds => Providers.Keys.OrderBy(k => k, StringComparer.Ordinal).ToImmutableArray();

    private static readonly Lazy<ImmutableDictionary<string, PtGuardCodeFixProvider>> LazyProviders = new(() =>
        typeof(DocumentFixer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(PtGuardCodeFixProvider).IsAssignableFrom(t))
            .Select(t => (PtGuardCodeFixProvider)Activator.CreateInstance(t)!)
            .ToImmutableDictionary(p => p.FixableDiagnosticIds[0]));

    private static readonly Lazy<ImmutableDictionary<string, DiagnosticAnalyzer>> LazyAnalyzers = new(() =>
        typeof(DiagnosticIds).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(PtGuardAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableDictionary(a => a.SupportedDiagnostics[0].Id));

    private static ImmutableDictionary<string, PtGuardCodeFixProvider> Providers => LazyProviders.Value;

    /// <summary>
    /// Fixes the diagnostics of <paramref name="ids"/> in <paramref name="document"/>, using only actions with
    /// <paramref name="equivalenceKey"/> when it is given (else each diagnostic's preferred action), analysing under
    /// <paramref name="protocol"/> (<c>a</c>/<c>b</c>; null: the project's own configuration).
    /// </summary>
    public static async Task<DocumentFixResult> FixAsync(Document document, IEnumerable<string> ids, string? equivalenceKey, string? protocol, CancellationToken cancellationToken = default)
    {
        var wanted = ids.Where(Providers.ContainsKey).ToImmutableHashSet();
        var applied = new List<AppliedFix>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // A diagnostic (rule and message) is fixed at most as often as it was ever reported at once: a fix that leaves
        // its own diagnostic in place is not applied again and again (found by fuzzing: PTG0012 wrapping one free in
        // three trylocks).
        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        var most = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var round = 0; round < MaxFixesPerDocument && !wanted.IsEmpty; round++)
        {
            var text = (await document.GetTextAsync(cancellationToken).ConfigureAwait(false)).ToString();
            if (!seen.Add(text)) break; // a fix undone by another: stop rather than cycle
            var diagnostics = await AnalyzeAsync(document, wanted, protocol, cancellationToken).ConfigureAwait(false);
            foreach (var group in diagnostics.GroupBy(Key))
            {
                most[group.Key] = Math.Max(most.TryGetValue(group.Key, out var m) ? m : 0, group.Count());
            }
            var open = diagnostics.Where(d => (attempts.TryGetValue(Key(d), out var n) ? n : 0) < most[Key(d)]).ToImmutableArray();
            var next = await FirstFixAsync(document, open, equivalenceKey, cancellationToken).ConfigureAwait(false);
            if (next is null) break;
            var (diagnostic, plan, changed) = next.Value;
            attempts[Key(diagnostic)] = (attempts.TryGetValue(Key(diagnostic), out var done) ? done : 0) + 1;
            var position = diagnostic.Location.GetLineSpan().StartLinePosition;
            applied.Add(new AppliedFix(diagnostic.Id, position.Line + 1, position.Character + 1, plan.Title, plan.EquivalenceKey));
            document = changed;
        }
        return new DocumentFixResult(document, applied);
    }

    /// <summary>
    /// A diagnostic's identity across fix rounds: rule and message without its numbers, since a message that names a line
    /// ("the early return at line 15") moves when a fix inserts a statement above it (found by fuzzing: a clear
    /// inserted 255 times after a derivation that was not the one reaching the free).
    /// </summary>
    private static string Key(Diagnostic d) =>
        d.Id + "\u0001" + new string(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Where(c => !char.IsDigit(c)).ToArray());

    /// <summary>The PtGuard diagnostics of <paramref name="ids"/> in <paramref name="document"/>, in document order.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document, IEnumerable<string> ids, string? protocol, CancellationToken cancellationToken = default)
    {
        var wanted = ids.ToImmutableHashSet(StringComparer.Ordinal);
        // Several rules: the combined analyzer runs them all from one set of callbacks (as a build does); its other
        // rules' diagnostics are filtered out below.
        var analyzers = wanted.Count(LazyAnalyzers.Value.ContainsKey) > 1
            ? ImmutableArray.Create(PtGuardAnalyzers.Combined)
            : wanted.Select(id => LazyAnalyzers.Value.TryGetValue(id, out var a) ? a : null).OfType<DiagnosticAnalyzer>().ToImmutableArray();
        var compilation = await document.Project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
        if (analyzers.IsEmpty || compilation is null || tree is null) return ImmutableArray<Diagnostic>.Empty;
        var options = document.Project.AnalyzerOptions;
        if (protocol is not null) options = new AnalyzerOptions(options.AdditionalFiles, new ProtocolOverride(options.AnalyzerConfigOptionsProvider, protocol));
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(options, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false));
        var model = compilation.GetSemanticModel(tree);
        var found = await withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null, cancellationToken).ConfigureAwait(false);
        return found.Where(d => d.Location.SourceTree == tree && wanted.Contains(d.Id)).OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToImmutableArray();
    }

    /// <summary>The repairs offered for <paramref name="diagnostic"/> (empty when its rule has no fix or none is determinable).</summary>
    public static async Task<IReadOnlyList<(string Title, string EquivalenceKey)>> FixesForAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken = default)
    {
        if (!Providers.TryGetValue(diagnostic.Id, out var provider)) return Array.Empty<(string, string)>();
        var plans = await provider.PlanAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
        return plans.Select(p => (p.Title, p.EquivalenceKey)).ToList();
    }

    private static async Task<(Diagnostic, FixPlan, Document)?> FirstFixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var before = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in diagnostics)
        {
            if (!Providers.TryGetValue(diagnostic.Id, out var provider)) continue;
            var plans = await provider.PlanAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
            var plan = plans.FirstOrDefault(p => equivalenceKey is null || p.EquivalenceKey == equivalenceKey);
            if (plan is null) continue;
            var changed = await plan.ApplyAsync(document, cancellationToken).ConfigureAwait(false);
            var after = await changed.GetTextAsync(cancellationToken).ConfigureAwait(false);
            if (!after.ContentEquals(before)) return (diagnostic, plan, changed);
        }
        return null;
    }

    /// <summary>The project's analyzer options with <c>ptguard_protocol</c> set.</summary>
    private sealed class ProtocolOverride : AnalyzerConfigOptionsProvider
    {
        private readonly AnalyzerConfigOptionsProvider _inner;
        private readonly string _protocol;

        public ProtocolOverride(AnalyzerConfigOptionsProvider inner, string protocol)
        {
            _inner = inner;
            _protocol = protocol;
        }

        public override AnalyzerConfigOptions GlobalOptions => new Options(_inner.GlobalOptions, _protocol);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(_inner.GetOptions(tree), _protocol);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(_inner.GetOptions(textFile), _protocol);

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly AnalyzerConfigOptions _inner;
            private readonly string _protocol;

            public Options(AnalyzerConfigOptions inner, string protocol)
            {
                _inner = inner;
                _protocol = protocol;
            }

            public override bool TryGetValue(string key, out string value)
            {
                if (key == "ptguard_protocol")
                {
                    value = _protocol;
                    return true;
                }
                return _inner.TryGetValue(key, out value!);
            }
        }
    }
}
