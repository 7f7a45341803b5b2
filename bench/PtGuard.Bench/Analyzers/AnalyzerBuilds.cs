using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PtGuard.Bench.Analyzers;

/// <summary>
/// The build side of the analyzer metrics (issue 7): one campaign of <c>dotnet build</c>s of the generated project
/// (<see cref="ProjectGenerator"/>) whose numbers three metrics read. Each repetition builds, in a rotating order,
/// the baseline (no PtGuard analyzers), the project with them, and the inert variant (no PtGuard.Runtime reference,
/// no <c>PageTables/</c>), every build a full rebuild with <c>-p:ReportAnalyzer=true</c> and a detailed file log from
/// which each analyzer assembly's time is read. A warm-up build (with PtGuard) is not counted. The campaign's results are kept in <c>bench/out/analyzer/campaign-(quick|full).tsv</c> so that the steps
/// <c>analyzer_inert</c>, <c>analyzer_overhead</c> and <c>analyzer_vs_vsthrd</c> of one <c>bench/run</c> share it.
/// </summary>
internal static class AnalyzerBuilds
{
    public const string Baseline = "baseline";
    public const string With = "with";
    public const string Inert = "inert";

    private static readonly string[] Variants = { Baseline, With, Inert };

    /// <summary>One build: its variant, wall time, and seconds per analyzer assembly (simple name) as ReportAnalyzer gave them.</summary>
    public sealed record Build(string Variant, int Repetition, double WallSeconds, double CompileSeconds, IReadOnlyDictionary<string, double> AnalyzerSeconds)
    {
        /// <summary>
        /// Seconds of a package's analyzer assemblies: <paramref name="assembly"/> and every <c>assembly.*</c> one. The
        /// threading package ships its rules in <c>Microsoft.VisualStudio.Threading.Analyzers.CSharp</c> (about 99% of
        /// its time) next to a small language-neutral assembly; reading the latter alone undercounted it a hundredfold.
        /// </summary>
        public double Analyzer(string assembly) =>
            AnalyzerSeconds.Where(a => a.Key == assembly || a.Key.StartsWith(assembly + ".", StringComparison.Ordinal)).Sum(a => a.Value);
    }

    public sealed record Campaign(ProjectGenerator.Shape Shape, IReadOnlyList<Build> Builds, string VsThreadingVersion)
    {
        public IEnumerable<Build> Of(string variant) => Builds.Where(b => b.Variant == variant);

        public double Median(string variant, Func<Build, double> pick) => Stats.Median(Of(variant).Select(pick).ToList());
    }

    public const string PtGuardAssembly = "PtGuard.Analyzers";
    public const string VsThreadingAssembly = "Microsoft.VisualStudio.Threading.Analyzers";

    /// <summary>The campaign of this run: read from its file when an earlier step ran it, else run now.</summary>
    public static Campaign Get(bool quick)
    {
        var root = LitmusCorpusFiles.RepoRoot() ?? throw new InvalidOperationException("cannot find PtGuard.sln above the bench");
        var dir = Path.Combine(root, "bench", "out", "analyzer");
        var file = Path.Combine(dir, $"campaign-{(quick ? "quick" : "full")}.tsv");
        if (File.Exists(file)) return Read(file);
        var campaign = Run(root, dir, quick);
        Write(file, campaign);
        return campaign;
    }

    private static Campaign Run(string root, string dir, bool quick)
    {
        var lines = quick ? 50_000 : 200_000;
        // A 50k-line rebuild takes about a minute on a loaded 2-core machine (200k: three or four): quick runs two
        // repetitions of each variant, the full run three.
        var repetitions = quick ? 2 : 3;
        // The runtime and the analyzers as built for this bench (Release, project references of PtGuard.Bench).
        var runtimeDll = typeof(PtGuard.Runtime.Kernel).Assembly.Location;
        var analyzersDll = typeof(PtGuard.Analyzers.PtGuardAnalyzers).Assembly.Location;
        var vsThreading = PinnedVersion(root, VsThreadingAssembly);
        var project = Path.Combine(dir, quick ? "quick" : "full");
        var shape = ProjectGenerator.Write(project, lines, runtimeDll, analyzersDll, vsThreading);
        Report.Note($"analyzer builds: generated {shape.Lines} lines in {shape.Files} files, {shape.Methods} methods ({shape.PageTableMethods} page-table, {shape.AsyncMethods} async) in {project}");
        Dotnet(project, "restore", ProjectGenerator.ProjectFile, "-nologo", "-v:q");

        var builds = new List<Build>();
        // Warm-up, not counted: the compiler server, the disk cache, the analyzers' JIT.
        BuildOnce(project, With, -1);
        for (var rep = 0; rep < repetitions; rep++)
        {
            // Rotate the order so that no variant always runs first after a pause (or after the other steps' load).
            for (var i = 0; i < Variants.Length; i++)
            {
                var b = BuildOnce(project, Variants[(i + rep) % Variants.Length], rep);
                builds.Add(b);
                Report.Note($"  {b.Variant} #{rep}: wall {b.WallSeconds:F1} s, csc {b.CompileSeconds:F1} s, PtGuard {b.Analyzer(PtGuardAssembly):F3} s, VSTHRD {b.Analyzer(VsThreadingAssembly):F3} s");
            }
        }
        return new Campaign(shape, builds, vsThreading);
    }

    private static Build BuildOnce(string project, string variant, int repetition)
    {
        var log = Path.Combine(project, $"build-{variant}-{repetition + 1}.log");
        var properties = variant switch
        {
            Baseline => new[] { "-p:PtGuardAnalyzers=false" },
            Inert => new[] { "-p:PtGuardRuntime=false" },
            _ => Array.Empty<string>(),
        };
        var args = new List<string>
        {
            "build", ProjectFile(project), "--no-restore", "--no-incremental", "-nologo", "-v:q", "-p:ReportAnalyzer=true",
            $"-flp:v=d;performancesummary;logfile={log}",
        };
        args.AddRange(properties);
        var sw = Stopwatch.StartNew();
        Dotnet(project, args.ToArray());
        var wall = sw.Elapsed.TotalSeconds;
        var (compile, analyzers) = ParseLog(File.ReadAllLines(log));
        return new Build(variant, repetition, wall, compile, analyzers);
    }

    private static string ProjectFile(string project) => Path.Combine(project, ProjectGenerator.ProjectFile);

    // ReportAnalyzer's table: "   1.234   56   Name, Version=..." for an assembly, deeper-indented lines for its analyzers.
    private static readonly Regex AssemblyLine = new(@"^\s*(?<s>[<\d.]+)\s+(?<p>[<\d]+)\s+(?<name>[^,\s]+), Version=", RegexOptions.Compiled);
    private static readonly Regex CscTime = new(@"^\s*(?<ms>\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Compiled);

    /// <summary>Seconds per analyzer assembly from the log's ReportAnalyzer table, and the Csc task's time (task summary).</summary>
    public static (double Compile, Dictionary<string, double> Analyzers) ParseLog(IEnumerable<string> lines)
    {
        var analyzers = new Dictionary<string, double>(StringComparer.Ordinal);
        double compile = double.NaN;
        var inAnalyzerTable = false;
        foreach (var raw in lines)
        {
            var line = StripPrefix(raw);
            if (line.Contains("Total analyzer execution time", StringComparison.Ordinal)) inAnalyzerTable = true;
            else if (line.Contains("Total generator execution time", StringComparison.Ordinal)) inAnalyzerTable = false;
            if (inAnalyzerTable && AssemblyLine.Match(line) is { Success: true } m)
            {
                var s = m.Groups["s"].Value;
                var seconds = s.StartsWith('<') ? 0 : double.Parse(s, CultureInfo.InvariantCulture);
                var name = m.Groups["name"].Value;
                analyzers[name] = analyzers.GetValueOrDefault(name) + seconds;
            }
            if (CscTime.Match(line) is { Success: true } c) compile = double.Parse(c.Groups["ms"].Value, CultureInfo.InvariantCulture) / 1000;
        }
        return (compile, analyzers);
    }

    /// <summary>MSBuild's file log prefixes task output with node ids or indentation; the table starts after it.</summary>
    private static string StripPrefix(string line) => Regex.Replace(line, @"^\s*\d+>", "");

    private static string PinnedVersion(string root, string package)
    {
        var props = XDocument.Load(Path.Combine(root, "Directory.Packages.props"));
        return props.Descendants("PackageVersion").FirstOrDefault(e => (string?)e.Attribute("Include") == package)?.Attribute("Version")?.Value
            ?? throw new InvalidOperationException($"{package} is not pinned in Directory.Packages.props");
    }

    private static void Dotnet(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start dotnet");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {string.Join(' ', args)} failed (exit {p.ExitCode}): {stdout.Result} {stderr.Result}".Trim());
        }
    }

    private static void Write(string file, Campaign c)
    {
        var rows = new List<string>
        {
            $"# shape\t{c.Shape.Lines}\t{c.Shape.Files}\t{c.Shape.Methods}\t{c.Shape.PageTableMethods}\t{c.Shape.AsyncMethods}\t{c.VsThreadingVersion}",
            "variant\trepetition\twall_s\tcsc_s\tanalyzer\tanalyzer_s",
        };
        foreach (var b in c.Builds)
        {
            rows.Add(string.Join('\t', b.Variant, b.Repetition, F(b.WallSeconds), F(b.CompileSeconds), "-", "-"));
            foreach (var (name, s) in b.AnalyzerSeconds.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                rows.Add(string.Join('\t', b.Variant, b.Repetition, "-", "-", name, F(s)));
            }
        }
        File.WriteAllLines(file, rows);
    }

    private static Campaign Read(string file)
    {
        var lines = File.ReadAllLines(file);
        var head = lines[0].Split('\t');
        var shape = new ProjectGenerator.Shape(I(head[1]), I(head[2]), I(head[3]), I(head[4]), I(head[5]));
        var builds = new List<Build>();
        Build? current = null;
        Dictionary<string, double>? analyzers = null;
        foreach (var row in lines.Skip(2).Select(l => l.Split('\t')))
        {
            if (row[4] == "-")
            {
                analyzers = new Dictionary<string, double>(StringComparer.Ordinal);
                current = new Build(row[0], I(row[1]), D(row[2]), D(row[3]), analyzers);
                builds.Add(current);
            }
            else
            {
                analyzers![row[4]] = D(row[5]);
            }
        }
        return new Campaign(shape, builds, head[6]);
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static int I(string s) => int.Parse(s, CultureInfo.InvariantCulture);
}
