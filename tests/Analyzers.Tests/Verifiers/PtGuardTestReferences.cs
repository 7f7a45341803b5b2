using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace PtGuard.Analyzers.Tests.Verifiers;

/// <summary>What every analyzer test compiles against: .NET 8's reference pack and PtGuard.Runtime.</summary>
internal static class PtGuardTestReferences
{
    public static ReferenceAssemblies Net80 { get; } = ReferenceAssemblies.Net.Net80;

    public static MetadataReference Runtime { get; } = MetadataReference.CreateFromFile(typeof(PtGuard.Runtime.Kernel).Assembly.Location);

    /// <summary>Every PtGuard rule, for tests where several rules meet.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> AllAnalyzers { get; } = typeof(PtGuardAnalyzer).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(PtGuardAnalyzer).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>An .editorconfig choosing the protocol.</summary>
    public static (string, string) EditorConfig(string protocol) => ("/.editorconfig", $"root = true\n\n[*.cs]\nptguard_protocol = {protocol}\n");

    /// <summary>A source file with the usings every sample needs and <paramref name="members"/> in a static class.</summary>
    public static string Class(string members) => $$"""
        using PtGuard.Runtime;
        using PtGuard.Runtime.Reference;
        using static PtGuard.Runtime.Kernel;

        public static class Sample
        {
        {{members}}
        }
        """;
}
