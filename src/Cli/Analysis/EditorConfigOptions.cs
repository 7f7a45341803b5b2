using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PtGuard.Cli.Analysis;

/// <summary>
/// The options the compiler would give the analyzers: every <c>.editorconfig</c> from each file's folder up to a
/// <c>root = true</c> (or the file system root), evaluated by Roslyn's own <see cref="AnalyzerConfigSet"/> — so
/// <c>ptguard_protocol</c> and <c>dotnet_diagnostic.ID.severity</c> mean in <c>ptguard check</c> what they mean in a
/// build. A protocol given on the command line wins over the files.
/// </summary>
internal sealed class EditorConfigOptions : AnalyzerConfigOptionsProvider
{
    private readonly AnalyzerConfigSet _set;
    private readonly string? _protocol;
    private readonly Dictionary<string, AnalyzerConfigOptionsResult> _cache = new(StringComparer.Ordinal);

    private EditorConfigOptions(AnalyzerConfigSet set, string? protocol)
    {
        _set = set;
        _protocol = protocol;
    }

    /// <summary>Options for <paramref name="files"/>, with <paramref name="protocol"/> ("a"/"b") overriding when given.</summary>
    public static EditorConfigOptions For(IEnumerable<string> files, string? protocol)
    {
        var configs = new Dictionary<string, AnalyzerConfig>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            for (var dir = Path.GetDirectoryName(Path.GetFullPath(file)); dir is not null; dir = Path.GetDirectoryName(dir))
            {
                var path = Path.Combine(dir, ".editorconfig");
                if (!File.Exists(path)) continue;
                if (!configs.TryGetValue(path, out var config))
                {
                    config = AnalyzerConfig.Parse(File.ReadAllText(path), path);
                    configs[path] = config;
                }
                if (IsRoot(path)) break;
            }
        }
        return new EditorConfigOptions(AnalyzerConfigSet.Create(configs.Values.ToImmutableArray()), protocol);
    }

    /// <summary>Per-file severity overrides (<c>dotnet_diagnostic.ID.severity</c>), as the compiler applies them.</summary>
    public SyntaxTreeOptionsProvider Severities => new SeverityProvider(this);

    /// <inheritdoc/>
    public override AnalyzerConfigOptions GlobalOptions => new Options(_set.GlobalConfigOptions.AnalyzerOptions, _protocol);

    /// <inheritdoc/>
    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(Result(tree.FilePath).AnalyzerOptions, _protocol);

    /// <inheritdoc/>
    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(Result(textFile.Path).AnalyzerOptions, _protocol);

    private AnalyzerConfigOptionsResult Result(string path)
    {
        var full = Path.GetFullPath(path);
        if (!_cache.TryGetValue(full, out var result)) _cache[full] = result = _set.GetOptionsForSourcePath(full);
        return result;
    }

    // "root = true" before the first section ends the search upwards, as the compiler does.
    private static bool IsRoot(string path)
    {
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('[')) return false;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && line[..eq].Trim().Equals("root", StringComparison.OrdinalIgnoreCase)
                && line[(eq + 1)..].Trim().Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private sealed class SeverityProvider(EditorConfigOptions owner) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            owner.Result(tree.FilePath).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            owner._set.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    private sealed class Options(ImmutableDictionary<string, string> values, string? protocol) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            if (protocol is not null && key == PtGuard.Analyzers.PtGuardAnalyzers.ProtocolOptionKey)
            {
                value = protocol;
                return true;
            }
            return values.TryGetValue(key, out value!);
        }

        public override IEnumerable<string> Keys =>
            protocol is null ? values.Keys : values.Keys.Append(PtGuard.Analyzers.PtGuardAnalyzers.ProtocolOptionKey).Distinct();
    }
}
