using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace PtGuard.Cli.Analysis;

/// <summary>
/// Loose C# files compiled as one library against the BCL of the running .NET and PtGuard.Runtime, the way
/// <c>ptguard check</c> and <c>ptguard fix</c> see code that is not in a project.
/// </summary>
public static class LooseCompilation
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Platform = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal) && !Path.GetFileName(p).StartsWith("PtGuard.", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    /// <summary>The BCL of the running .NET plus PtGuard.Runtime.</summary>
    public static ImmutableArray<MetadataReference> References =>
        Platform.Value.Add(MetadataReference.CreateFromFile(typeof(PtGuard.Runtime.Kernel).Assembly.Location));

    /// <summary>Parse options: the latest C#.</summary>
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    /// <summary>Compilation options: a library with nullable annotations on, as the samples are.</summary>
    public static CSharpCompilationOptions CompilationOptions { get; } =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    /// <summary>
    /// The global usings an SDK project gets with <c>ImplicitUsings</c>, so that code copied out of a project
    /// compiles loose as it did there.
    /// </summary>
    public const string ImplicitUsings =
        "global using global::System;\nglobal using global::System.Collections.Generic;\nglobal using global::System.IO;\n" +
        "global using global::System.Linq;\nglobal using global::System.Net.Http;\nglobal using global::System.Threading;\n" +
        "global using global::System.Threading.Tasks;\n";

    /// <summary>Path of the synthetic file holding <see cref="ImplicitUsings"/>.</summary>
    public const string ImplicitUsingsPath = "ptguard.ImplicitUsings.g.cs";

    /// <summary>Parses <paramref name="files"/> (read from disk) into one compilation.</summary>
    public static CSharpCompilation Create(IEnumerable<string> files, string name = "ptguard-check") =>
        CSharpCompilation.Create(
            name,
            files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), ParseOptions, f))
                .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, ParseOptions, ImplicitUsingsPath)),
            References,
            CompilationOptions);

    /// <summary>Compile errors (not warnings a project turns into errors), in file and position order.</summary>
    public static IReadOnlyList<Diagnostic> Errors(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && !d.IsWarningAsError)
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToList();
}
