using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PtGuard.Analyzers.Tests.Verifiers;

/// <summary>
/// Compiles sources against the running BCL and PtGuard.Runtime and runs every PtGuard rule with
/// <see cref="CompilationWithAnalyzers"/>, collecting analyzer exceptions instead of hiding them.
/// </summary>
internal static class AnalyzerRunner
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Platform = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal) && !Path.GetFileName(p).StartsWith("PtGuard.", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    public static ImmutableArray<MetadataReference> PlatformReferences => Platform.Value;

    public static CSharpCompilation Compile(IEnumerable<(string Path, string Text)> files, bool referenceRuntime = true, string name = "Sample") =>
        CSharpCompilation.Create(
            name,
            files.Select(f => CSharpSyntaxTree.ParseText(f.Text, new CSharpParseOptions(LanguageVersion.Latest), f.Path)),
            referenceRuntime ? PlatformReferences.Add(PtGuardTestReferences.Runtime) : PlatformReferences,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static CSharpCompilation Compile(string source, bool referenceRuntime = true) => Compile(new[] { ("/0/Sample.cs", source) }, referenceRuntime);

    public sealed record Result(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<Exception> AnalyzerExceptions, IReadOnlyList<Exception> InternalErrors);

    /// <summary>Runs every rule under <paramref name="protocol"/>; never throws for analyzer failures, it returns them.</summary>
    public static async Task<Result> RunAsync(Compilation compilation, string protocol = "a", CancellationToken cancellationToken = default)
    {
        var exceptions = new ConcurrentQueue<Exception>();
        var internalErrors = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new ProtocolOptionsProvider(protocol)),
            (e, _, _) => exceptions.Enqueue(e),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        Flow.RootAnalysis.InternalErrorObserver = internalErrors.Enqueue;
        try
        {
            var cwa = compilation.WithAnalyzers(PtGuardTestReferences.AllAnalyzers, options);
            var diagnostics = await cwa.GetAnalyzerDiagnosticsAsync(cancellationToken);
            return new Result(diagnostics, exceptions.ToList(), internalErrors.ToList());
        }
        finally
        {
            Flow.RootAnalysis.InternalErrorObserver = null;
        }
    }
}
