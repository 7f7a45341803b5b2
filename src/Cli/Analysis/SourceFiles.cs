namespace PtGuard.Cli.Analysis;

/// <summary>The C# files named by command-line paths: files as given, folders searched recursively (bin/ and obj/ skipped).</summary>
public static class SourceFiles
{
    /// <summary>Expands <paramref name="paths"/>; a path that does not exist is a usage error naming it.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths, string command)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                if (!path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase))
                {
                    throw new UsageException($"ptguard {command}: {path} is not a C# file (.cs), a folder, or a project");
                }
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.cs", SearchOption.AllDirectories)
                    .Where(f => !IsBuildOutput(Path.GetRelativePath(path, f)))
                    .Order(StringComparer.Ordinal));
            }
            else
            {
                throw new UsageException($"ptguard {command}: no such file or folder: {path}");
            }
        }
        if (files.Count == 0) throw new UsageException($"ptguard {command}: no C# files found in {string.Join(", ", paths)}");
        return files.Distinct(StringComparer.Ordinal).ToList();
    }

    private static bool IsBuildOutput(string relative) =>
        relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
            .Any(part => part is "bin" or "obj");
}
