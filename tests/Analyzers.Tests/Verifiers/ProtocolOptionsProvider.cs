using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PtGuard.Analyzers.Tests.Verifiers;

/// <summary>
/// Options that set <c>ptguard_protocol</c> for every tree, as an <c>.editorconfig</c> would. Shared by the analyzer
/// tests and (linked) the code-fix tests.
/// </summary>
internal sealed class ProtocolOptionsProvider(string protocol) : AnalyzerConfigOptionsProvider
{
    private readonly Options _options = new(protocol);

    public override AnalyzerConfigOptions GlobalOptions => _options;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

    private sealed class Options(string protocol) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            value = protocol;
            return key == PtGuardAnalyzers.ProtocolOptionKey;
        }
    }
}
