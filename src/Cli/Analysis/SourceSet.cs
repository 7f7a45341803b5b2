using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using PtGuard.CodeFixes;

namespace PtGuard.Cli.Analysis;

/// <summary>
/// Loose C# files (or folders of them) as one in-memory project, compiled as <see cref="LooseCompilation"/> compiles
/// them (the BCL of the running .NET, PtGuard.Runtime, an SDK project's implicit usings), with PtGuard's code fixes
/// applied under a chosen protocol. The workspace form of the files, for commands that rewrite them (<c>fix</c>).
/// </summary>
public sealed class SourceSet
{
    private SourceSet(Project project, IReadOnlyDictionary<DocumentId, SourceFile> files)
    {
        Project = project;
        Files = files;
    }

    /// <summary>The in-memory project holding every file.</summary>
    public Project Project { get; private set; }

    /// <summary>Each user document's file on disk: the path as the user named it and the encoding it was read with.</summary>
    public IReadOnlyDictionary<DocumentId, SourceFile> Files { get; }

    /// <summary>Reads <paramref name="paths"/> (<see cref="SourceFiles.Expand"/>: a missing path is a usage error).</summary>
    public static SourceSet Load(IEnumerable<string> paths, string command)
    {
        var files = SourceFiles.Expand(paths, command);
        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "ptguard", "ptguard", LanguageNames.CSharp,
            compilationOptions: LooseCompilation.CompilationOptions,
            parseOptions: LooseCompilation.ParseOptions,
            metadataReferences: LooseCompilation.References));
        var map = new Dictionary<DocumentId, SourceFile>();
        foreach (var file in files)
        {
            SourceText text;
            using (var stream = File.OpenRead(file)) text = SourceText.From(stream, new UTF8Encoding(false));
            var document = project.AddDocument(Path.GetFileName(file), text, filePath: Path.GetFullPath(file));
            project = document.Project;
            map[document.Id] = new SourceFile(file, text.Encoding ?? new UTF8Encoding(false));
        }
        // The .editorconfig files above the sources choose the protocol, as they do for a build and for check.
        foreach (var config in EditorConfigs(files))
        {
            project = project.AddAnalyzerConfigDocument(".editorconfig", SourceText.From(File.ReadAllText(config)), filePath: config).Project;
        }
        project = project.AddDocument(LooseCompilation.ImplicitUsingsPath, SourceText.From(LooseCompilation.ImplicitUsings), filePath: LooseCompilation.ImplicitUsingsPath).Project;
        return new SourceSet(project, map);
    }

    private static IEnumerable<string> EditorConfigs(IEnumerable<string> files)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            for (var dir = new DirectoryInfo(Path.GetDirectoryName(Path.GetFullPath(file))!); dir is not null; dir = dir.Parent)
            {
                var config = Path.Combine(dir.FullName, ".editorconfig");
                if (File.Exists(config)) found.Add(config);
            }
        }
        return found;
    }

    /// <summary>Compile errors, compiler style (<c>file(line,col): error CSxxxx: message</c>).</summary>
    public async Task<IReadOnlyList<string>> CompileErrorsAsync(CancellationToken cancellationToken = default)
    {
        var compilation = await Project.GetCompilationAsync(cancellationToken) ?? throw new InvalidOperationException("no compilation");
        return LooseCompilation.Errors(compilation).Select(d => DiagnosticText.Format(d, Directory.GetCurrentDirectory())).ToList();
    }

    /// <summary>
    /// Applies the code fixes of <paramref name="rules"/> (every rule when empty) to each file until none applies, under
    /// <paramref name="protocol"/> (<c>a</c>/<c>b</c>; null: <c>ptguard_protocol</c> from .editorconfig, else A);
    /// returns each changed file with its new text and the fixes made, in order. Nothing is written.
    /// </summary>
    public async Task<IReadOnlyList<FixedFile>> FixAsync(string? protocol, IReadOnlyCollection<string> rules, CancellationToken cancellationToken = default)
    {
        var ids = rules.Count == 0 ? DocumentFixer.FixableIds : DocumentFixer.FixableIds.Where(rules.Contains).ToImmutableArray();
        var changed = new List<FixedFile>();
        foreach (var id in Files.Keys.OrderBy(d => Files[d].Path, StringComparer.Ordinal).ToList())
        {
            var before = await Project.GetDocument(id)!.GetTextAsync(cancellationToken);
            var result = await DocumentFixer.FixAsync(Project.GetDocument(id)!, ids, null, protocol, cancellationToken);
            Project = result.Document.Project;
            var after = await result.Document.GetTextAsync(cancellationToken);
            if (result.Applied.Count > 0 && !after.ContentEquals(before)) changed.Add(new FixedFile(Files[id], before.ToString(), after.ToString(), result.Applied));
        }
        return changed;
    }
}

/// <summary>A file the user named, and the encoding to write it back with.</summary>
public sealed record SourceFile(string Path, Encoding Encoding);

/// <summary>A file changed by the fixes: its text before and after, and the fixes made (in order).</summary>
public sealed record FixedFile(SourceFile File, string Before, string After, IReadOnlyList<AppliedFix> Applied);
