using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using PtGuard.CodeFixes;

namespace PtGuard.Cli.Analysis;

/// <summary>
/// Loose C# files (or folders of them) compiled as one library against PtGuard.Runtime and the BCL reference
/// assemblies of the running .NET, with PtGuard's rules and fixes run over them under a chosen protocol. Shared by the
/// commands that read user code (<c>fix</c>, and <c>check</c>).
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

    /// <summary>Each document's file on disk: the path as the user named it and the encoding it was read with.</summary>
    public IReadOnlyDictionary<DocumentId, SourceFile> Files { get; }

    /// <summary>Reads <paramref name="paths"/>: files, or folders searched recursively for <c>*.cs</c> (bin/ and obj/ skipped).</summary>
    /// <exception cref="UsageException">A path that does not exist, or no C# file at all.</exception>
    public static SourceSet Load(IEnumerable<string> paths, string command)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(path);
            else if (Directory.Exists(path)) files.AddRange(Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(path, f)).Order(StringComparer.Ordinal));
            else throw new UsageException($"ptguard {command}: no such file or folder: {path}");
        }
        if (files.Count == 0) throw new UsageException($"ptguard {command}: no C# files in {string.Join(", ", paths)}");

        var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(), VersionStamp.Default, "ptguard", "ptguard", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: References.Value));
        var map = new Dictionary<DocumentId, SourceFile>();
        foreach (var file in files.Distinct(StringComparer.Ordinal))
        {
            SourceText text;
            using (var stream = File.OpenRead(file)) text = SourceText.From(stream, new UTF8Encoding(false));
            var document = project.AddDocument(Path.GetFileName(file), text, filePath: Path.GetFullPath(file));
            project = document.Project;
            map[document.Id] = new SourceFile(file, text.Encoding ?? new UTF8Encoding(false));
        }
        return new SourceSet(project, map);
    }

    /// <summary>Compile errors, compiler style (<c>file(line,col): error CSxxxx: message</c>), in file order.</summary>
    public async Task<IReadOnlyList<string>> CompileErrorsAsync(CancellationToken cancellationToken = default)
    {
        var compilation = await Project.GetCompilationAsync(cancellationToken) ?? throw new InvalidOperationException("no compilation");
        return compilation.GetDiagnostics(cancellationToken).Where(d => d.Severity == DiagnosticSeverity.Error).Select(Format).ToList();
    }

    /// <summary>Every PtGuard rule's diagnostics under <paramref name="protocol"/> (<c>a</c> or <c>b</c>), in file order.</summary>
    public async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(string protocol, CancellationToken cancellationToken = default)
    {
        var all = new List<Diagnostic>();
        foreach (var document in Project.Documents.OrderBy(d => Files[d.Id].Path, StringComparer.Ordinal))
        {
            all.AddRange(await DocumentFixer.AnalyzeAsync(document, DocumentFixer.AllIds, protocol, cancellationToken));
        }
        return all;
    }

    /// <summary>
    /// Applies the code fixes of <paramref name="rules"/> (all when empty) to every file until none applies; returns each
    /// changed file with its new text and the fixes made. Nothing is written.
    /// </summary>
    public async Task<IReadOnlyList<FixedFile>> FixAsync(string protocol, IReadOnlyCollection<string> rules, CancellationToken cancellationToken = default)
    {
        var ids = rules.Count == 0 ? DocumentFixer.FixableIds : DocumentFixer.FixableIds.Where(rules.Contains).ToImmutableArray();
        var changed = new List<FixedFile>();
        foreach (var id in Project.DocumentIds.OrderBy(d => Files[d].Path, StringComparer.Ordinal).ToList())
        {
            var before = await Project.GetDocument(id)!.GetTextAsync(cancellationToken);
            var result = await DocumentFixer.FixAsync(Project.GetDocument(id)!, ids, null, protocol, cancellationToken);
            Project = result.Document.Project;
            var after = await result.Document.GetTextAsync(cancellationToken);
            if (result.Applied.Count > 0 && !after.ContentEquals(before)) changed.Add(new FixedFile(Files[id], before.ToString(), after.ToString(), result.Applied));
        }
        return changed;
    }

    /// <summary>A diagnostic as the compiler prints it, with the path as the user named the file.</summary>
    public string Format(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var path = Project.Documents.FirstOrDefault(doc => doc.FilePath == span.Path) is { } doc ? Files[doc.Id].Path : span.Path;
        var severity = d.Severity switch { DiagnosticSeverity.Error => "error", DiagnosticSeverity.Warning => "warning", DiagnosticSeverity.Info => "info", _ => "hidden" };
        return $"{path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static bool IsBuildOutput(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return relative.Any(part => part is "bin" or "obj");
    }

    /// <summary>PtGuard.Runtime and the reference assemblies of the running .NET (its implementation assemblies where no reference pack is installed).</summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var runtime = MetadataReference.CreateFromFile(typeof(PtGuard.Runtime.Kernel).Assembly.Location);
        var bcl = ReferencePack() ?? ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => p.EndsWith(".dll", StringComparison.Ordinal) && Path.GetDirectoryName(p) == Path.GetDirectoryName(typeof(object).Assembly.Location));
        return bcl.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).Append(runtime).ToImmutableArray();
    });

    /// <summary><c>packs/Microsoft.NETCore.App.Ref/X.Y.*/ref/netX.Y/*.dll</c> under the dotnet root, for the running major.minor version.</summary>
    private static IEnumerable<string>? ReferencePack()
    {
        var shared = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = shared is null ? null : Path.GetFullPath(Path.Combine(shared, "..", "..", ".."));
        var packs = root is null ? null : Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (packs is null || !Directory.Exists(packs)) return null;
        var v = Environment.Version;
        var tfm = $"net{v.Major}.{v.Minor}";
        var dir = Directory.EnumerateDirectories(packs, $"{v.Major}.{v.Minor}.*")
            .Select(d => Path.Combine(d, "ref", tfm))
            .Where(Directory.Exists)
            .OrderByDescending(d => d, StringComparer.Ordinal)
            .FirstOrDefault();
        return dir is null ? null : Directory.EnumerateFiles(dir, "*.dll").ToList();
    }
}

/// <summary>A file the user named, and the encoding to write it back with.</summary>
public sealed record SourceFile(string Path, Encoding Encoding);

/// <summary>A file changed by the fixes: its text before and after, and the fixes made (in order).</summary>
public sealed record FixedFile(SourceFile File, string Before, string After, IReadOnlyList<AppliedFix> Applied);
