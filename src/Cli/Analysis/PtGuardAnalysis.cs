using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers;

namespace PtGuard.Cli.Analysis;

/// <summary>What running the rules over a compilation gave.</summary>
public sealed record AnalysisResult(
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<Diagnostic> CompileErrors,
    IReadOnlyList<string> AnalyzerFailures);

/// <summary>Runs every PtGuard rule over a compilation, with the options a build would give them.</summary>
public static class PtGuardAnalysis
{
    /// <summary>
    /// Analyzes <paramref name="compilation"/>; <paramref name="protocol"/> ("a"/"b") overrides <c>.editorconfig</c>.
    /// Severities from <c>.editorconfig</c> apply (a rule set to <c>none</c> reports nothing).
    /// </summary>
    public static async Task<AnalysisResult> RunAsync(Compilation compilation, IEnumerable<string> files, string? protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var options = EditorConfigOptions.For(files, protocol);
        compilation = WithSeverities(compilation, options);
        var failures = new ConcurrentQueue<string>();
        var withAnalyzers = compilation.WithAnalyzers(
            PtGuardAnalyzers.All,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, options),
                onAnalyzerException: (ex, analyzer, _) => failures.Enqueue($"{analyzer.GetType().Name}: {ex.GetType().Name}: {ex.Message}"),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        var ours = diagnostics
            .Where(d => d.Id.StartsWith("PTG", StringComparison.Ordinal) && d.Severity != DiagnosticSeverity.Hidden)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var d in diagnostics.Where(d => d.Id == "AD0001")) failures.Enqueue(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        return new AnalysisResult(ours, LooseCompilation.Errors(compilation), failures.ToList());
    }

    private static Compilation WithSeverities(Compilation compilation, EditorConfigOptions options) =>
        compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(options.Severities));
}
