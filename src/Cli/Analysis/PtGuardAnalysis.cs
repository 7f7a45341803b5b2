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
    /// Analyzes loose files' <paramref name="compilation"/>; <paramref name="protocol"/> ("a"/"b") overrides <c>.editorconfig</c>.
    /// Severities from <c>.editorconfig</c> apply (a rule set to <c>none</c> reports nothing).
    /// </summary>
    public static Task<AnalysisResult> RunAsync(Compilation compilation, IEnumerable<string> files, string? protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var options = EditorConfigOptions.For(files, protocol);
        compilation = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(options.Severities));
        return RunAsync(compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, options), cancellationToken);
    }

    /// <summary>
    /// Analyzes a project read through MSBuild with the options its build gives analyzers (its <c>.editorconfig</c> files
    /// and <c>build_property.PtGuardProtocol</c>); <paramref name="protocol"/> overrides both.
    /// </summary>
    public static Task<AnalysisResult> RunAsync(LoadedProject project, string? protocol, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(project);
        var options = protocol is null
            ? project.Options
            : new AnalyzerOptions(project.Options.AdditionalFiles, new ProtocolOverride(project.Options.AnalyzerConfigOptionsProvider, protocol));
        return RunAsync(project.Compilation, options, cancellationToken);
    }

    private static async Task<AnalysisResult> RunAsync(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var failures = new ConcurrentQueue<string>();
        var withAnalyzers = compilation.WithAnalyzers(
            PtGuardAnalyzers.All,
            new CompilationWithAnalyzersOptions(
                options,
                onAnalyzerException: (ex, analyzer, _) => failures.Enqueue($"{analyzer.GetType().Name}: {ex.GetType().Name}: {ex.Message}"),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        var ours = diagnostics
            .Where(d => d.Id.StartsWith("PTG", StringComparison.Ordinal) && d.Severity != DiagnosticSeverity.Hidden && !d.IsSuppressed)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        foreach (var d in diagnostics.Where(d => d.Id == "AD0001")) failures.Enqueue(d.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        return new AnalysisResult(ours, LooseCompilation.Errors(compilation), failures.ToList());
    }

    /// <summary>A project's analyzer options with <c>ptguard_protocol</c> replaced by the command line's choice.</summary>
    private sealed class ProtocolOverride(AnalyzerConfigOptionsProvider inner, string protocol) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions => new Options(inner.GlobalOptions, protocol);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(inner.GetOptions(tree), protocol);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(inner.GetOptions(textFile), protocol);

        private sealed class Options(AnalyzerConfigOptions inner, string protocol) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                if (key == PtGuardAnalyzers.ProtocolOptionKey)
                {
                    value = protocol;
                    return true;
                }
                return inner.TryGetValue(key, out value!);
            }

            public override IEnumerable<string> Keys => inner.Keys.Append(PtGuardAnalyzers.ProtocolOptionKey).Distinct();
        }
    }
}
