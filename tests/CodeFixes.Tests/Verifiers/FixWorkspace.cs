using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace PtGuard.CodeFixes.Tests.Verifiers;

/// <summary>An in-memory project of C# files compiled against the running BCL and PtGuard.Runtime, for <see cref="DocumentFixer"/>.</summary>
public static class FixWorkspace
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Platform = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal) && !Path.GetFileName(p).StartsWith("PtGuard.", StringComparison.Ordinal))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray());

    /// <summary>A project holding <paramref name="files"/> (path, text).</summary>
    public static Project Create(IEnumerable<(string Path, string Text)> files, string name = "Sample")
    {
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, name, name, LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: Platform.Value.Add(TestReferences.Runtime)));
        foreach (var (path, text) in files)
        {
            project = project.AddDocument(Path.GetFileName(path), SourceText.From(text), filePath: path).Project;
        }
        return project;
    }

    /// <summary>Applies every PtGuard fix to every document until none applies; returns the fixed project.</summary>
    public static async Task<Project> FixAllAsync(Project project, string protocol = "a", IEnumerable<string>? ids = null)
    {
        foreach (var id in project.DocumentIds.ToList())
        {
            var result = await DocumentFixer.FixAsync(project.GetDocument(id)!, ids ?? DocumentFixer.FixableIds, null, protocol);
            project = result.Document.Project;
        }
        return project;
    }

    /// <summary>The PtGuard diagnostics left in <paramref name="project"/> that some fix could still repair.</summary>
    public static async Task<List<Diagnostic>> FixableLeftAsync(Project project, string protocol = "a")
    {
        var left = new List<Diagnostic>();
        foreach (var document in project.Documents)
        {
            foreach (var d in await DocumentFixer.AnalyzeAsync(document, DocumentFixer.FixableIds, protocol))
            {
                if ((await DocumentFixer.FixesForAsync(document, d)).Count > 0) left.Add(d);
            }
        }
        return left;
    }
}
