using System.IO.Compression;
using System.Text;

namespace PtGuard.Packaging.Tests;

/// <summary>
/// A temporary copy of what a user of the packages sees: the repository's nuget.config, global.json and
/// Directory.Build.props, the samples, and <c>artifacts/packages</c> (the folder feed nuget.config lists) holding PtGuard
/// and PtGuard.Tool packed from this build. The version is the repository's with a suffix unique to this run: NuGet's
/// global packages folder never takes new content for a version it already holds, so a fixed version would test
/// whatever an earlier run left there. The run's version is removed from that folder afterwards.
/// </summary>
public sealed class PackedRepository : IDisposable
{
    public PackedRepository()
    {
        Version = $"{Repo.VersionPrefix}-test.g{Guid.NewGuid():N}";
        Root = Path.Combine(Path.GetTempPath(), "ptguard-packaging-" + Guid.NewGuid().ToString("N"));
        Feed = Path.Combine(Root, "artifacts", "packages");
        Directory.CreateDirectory(Feed);
        foreach (var file in new[] { "nuget.config", "global.json", "Directory.Build.props" }) File.Copy(Repo.PathOf(file), Path.Combine(Root, file));
        CopyTree(Repo.PathOf("samples"), Path.Combine(Root, "samples"));
        // The samples consume the repository's version by default; this copy consumes this run's.
        var props = Path.Combine(Root, "samples", "Directory.Build.props");
        var text = File.ReadAllText(props);
        const string Default = "$(VersionPrefix)</PtGuardVersion>";
        if (!text.Contains(Default, StringComparison.Ordinal)) throw new InvalidOperationException("samples/Directory.Build.props no longer defaults PtGuardVersion to $(VersionPrefix)");
        File.WriteAllText(props, text.Replace(Default, Version + "</PtGuardVersion>", StringComparison.Ordinal));
        foreach (var project in new[] { "src/CodeFixes/PtGuard.CodeFixes.csproj", "src/Cli/PtGuard.Cli.csproj" })
        {
            var (exit, output, elapsed) = Repo.Dotnet(Repo.Root, "pack", project, "--no-build", "-c", Repo.Configuration, "--version-suffix", Suffix, "-o", Feed);
            Log.AppendLine($"dotnet pack {project}: exit {exit}, {elapsed.TotalSeconds:0.0} s");
            if (exit != 0) throw new InvalidOperationException($"dotnet pack {project} failed:\n{output}");
        }
    }

    /// <summary>The packages' version: the repository's VersionPrefix and a suffix unique to this run.</summary>
    public string Version { get; }

    private string Suffix => Version[(Repo.VersionPrefix.Length + 1)..];

    /// <summary>The copy's root (nuget.config is here).</summary>
    public string Root { get; }

    /// <summary>The local folder feed, <c>artifacts/packages</c> under <see cref="Root"/>.</summary>
    public string Feed { get; }

    /// <summary>How long packing took, for the test output.</summary>
    public StringBuilder Log { get; } = new();

    public string Package(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public string Sample(string name) => Path.Combine(Root, "samples", name);

    /// <summary>The entries of a packed package.</summary>
    public IReadOnlyList<string> Entries(string id)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        return zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The text of one entry of a packed package.</summary>
    public string Read(string id, string entry)
    {
        using var zip = ZipFile.OpenRead(Package(id));
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    /// <summary><c>dotnet build</c> of a sample against this run's package, as CI would (no build servers left behind).</summary>
    public (int Exit, string Output, TimeSpan Elapsed) BuildSample(string name, params string[] extra)
    {
        return Repo.Dotnet(Sample(name), new[] { "build", "--disable-build-servers" }.Concat(extra).ToArray());
    }

    public void Dispose()
    {
        TryDelete(Root);
        foreach (var id in new[] { "ptguard", "ptguard.tool" }) TryDelete(Path.Combine(Repo.GlobalPackages, id, Version.ToLowerInvariant()));
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finishing process: the folder is temporary (or a version no one asks for again).
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PackedRepositoryCollection : ICollectionFixture<PackedRepository>
{
    public const string Name = "packed repository";
}
