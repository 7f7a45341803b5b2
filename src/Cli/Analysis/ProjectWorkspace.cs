using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

namespace PtGuard.Cli.Analysis;

/// <summary>A C# project read through MSBuild: its compilation, the options its build gives analyzers, and its source files.</summary>
public sealed record LoadedProject(string Name, string FilePath, Compilation Compilation, AnalyzerOptions Options, IReadOnlyList<string> SourceFiles);

/// <summary>
/// Reads <c>.csproj</c> files and solutions (<c>.sln</c>, <c>.slnx</c>) with Roslyn's MSBuild workspace, which evaluates
/// them with the installed .NET SDK in a separate build host, as the IDE does. The project must have been restored
/// (<c>dotnet restore</c>); what MSBuild cannot read is a <see cref="UsageException"/> with one line.
/// </summary>
public static class ProjectWorkspace
{
    /// <summary>Project and solution file extensions <c>ptguard check</c> accepts.</summary>
    public static bool IsProjectOrSolution(string path) =>
        path.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase) || IsSolution(path);

    private static bool IsSolution(string path) =>
        path.EndsWith(".sln", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".slnx", StringComparison.OrdinalIgnoreCase);

    /// <summary>Loads the C# projects of <paramref name="path"/>; <paramref name="progress"/> hears each project as it is read.</summary>
    public static async Task<IReadOnlyList<LoadedProject>> LoadAsync(string path, string command, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new UsageException($"ptguard {command}: no such file or folder: {path}");
        var full = Path.GetFullPath(path);
        var failures = new List<string>();
        using var workspace = MSBuildWorkspace.Create();
        workspace.RegisterWorkspaceFailedHandler(e =>
        {
            if (e.Diagnostic.Kind == WorkspaceDiagnosticKind.Failure) failures.Add(e.Diagnostic.Message);
        });
        var reporter = new Progress(progress);
        IEnumerable<Project> projects;
        try
        {
            projects = IsSolution(full)
                ? (await workspace.OpenSolutionAsync(full, reporter, cancellationToken).ConfigureAwait(false)).Projects
                : new[] { await workspace.OpenProjectAsync(full, reporter, cancellationToken).ConfigureAwait(false) };
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ArgumentException or InvalidDataException)
        {
            throw new UsageException($"ptguard {command}: cannot read {path}: {OneLine(ex.Message)}");
        }
        if (failures.Count > 0) throw new UsageException($"ptguard {command}: cannot read {path}: {OneLine(failures[0])}");

        var loaded = new List<LoadedProject>();
        // A multi-targeting project appears once per target framework; its rules give the same answers in each.
        foreach (var project in projects.Where(p => p.Language == LanguageNames.CSharp).GroupBy(p => p.FilePath, StringComparer.Ordinal).Select(g => g.First()))
        {
            // Without restore, MSBuild resolves no package reference (and for some frameworks, no reference at all).
            if (project.MetadataReferences.Count == 0 || !IsRestored(project))
            {
                throw new UsageException($"ptguard {command}: {project.FilePath} is not restored; run dotnet restore {path} first");
            }
            var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new UsageException($"ptguard {command}: cannot compile {project.FilePath}");
            var files = project.Documents.Select(d => d.FilePath).OfType<string>().ToList();
            loaded.Add(new LoadedProject(project.Name, project.FilePath ?? full, compilation, project.AnalyzerOptions, files));
        }
        if (loaded.Count == 0) throw new UsageException($"ptguard {command}: no C# project in {path}");
        return loaded;
    }

    /// <summary>An SDK project is restored when <c>project.assets.json</c> sits in its intermediate folder or one above it (obj/).</summary>
    private static bool IsRestored(Project project)
    {
        var intermediate = Path.GetDirectoryName(project.CompilationOutputInfo.AssemblyPath);
        var projectDirectory = Path.GetDirectoryName(project.FilePath);
        if (intermediate is null || projectDirectory is null) return true;
        for (var dir = new DirectoryInfo(intermediate); dir is not null && dir.FullName.Length >= projectDirectory.Length; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "project.assets.json"))) return true;
        }
        return false;
    }

    private static string OneLine(string message)
    {
        var line = System.Text.RegularExpressions.Regex.Replace(message, @"\s*\r?\n\s*", " ").Trim();
        return line.Length > 400 ? line[..400] + "..." : line;
    }

    private sealed class Progress(Action<string>? report) : IProgress<ProjectLoadProgress>
    {
        public void Report(ProjectLoadProgress value)
        {
            if (value.Operation == ProjectLoadOperation.Resolve) report?.Invoke(Path.GetFileName(value.FilePath));
        }
    }
}
