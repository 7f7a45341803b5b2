using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PtGuard.Analyzers;

/// <summary>Which freeing protocol a project follows.</summary>
internal enum Protocol
{
    /// <summary>"Barrier-cycle" (Linux 6.18): clear, flush, key-guarded lock cycle, free; walkers raise the key.</summary>
    A,

    /// <summary>"Held-across" (2026): the free happens under init_mm's read lock; no key.</summary>
    B,
}

/// <summary>Reads the protocol: <c>ptguard_protocol = a|b</c> in .editorconfig, else the <c>PtGuardProtocol</c> MSBuild property; A by default.</summary>
internal static class ProtocolOptions
{
    /// <summary>The .editorconfig key.</summary>
    public const string EditorConfigKey = "ptguard_protocol";

    /// <summary>The MSBuild property as the compiler sees it (needs <c>CompilerVisibleProperty Include="PtGuardProtocol"</c>).</summary>
    public const string BuildPropertyKey = "build_property.PtGuardProtocol";

    public static Protocol Read(AnalyzerConfigOptionsProvider provider, SyntaxTree tree)
    {
        if (provider.GetOptions(tree).TryGetValue(EditorConfigKey, out var value) && Parse(value) is { } fromFile) return fromFile;
        if (provider.GlobalOptions.TryGetValue(EditorConfigKey, out value) && Parse(value) is { } fromGlobal) return fromGlobal;
        if (provider.GlobalOptions.TryGetValue(BuildPropertyKey, out value) && Parse(value) is { } fromBuild) return fromBuild;
        return Protocol.A;
    }

    private static Protocol? Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "a" => Protocol.A,
        "b" => Protocol.B,
        _ => null,
    };
}
