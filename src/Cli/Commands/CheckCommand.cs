using System.CommandLine;
using Microsoft.CodeAnalysis;
using PtGuard.Analyzers;
using PtGuard.Cli.Analysis;
using Spectre.Console;

namespace PtGuard.Cli.Commands;

/// <summary>
/// <c>ptguard check PATH... [--protocol a|b] [--format text|sarif|json]</c>: runs every PtGuard rule over C# files
/// (folders searched recursively, compiled against the BCL and PtGuard.Runtime) or over projects and solutions (read
/// through MSBuild, with their own references and <c>.editorconfig</c>), and prints one compiler-style line per
/// diagnostic on standard output. Exit 0 none, 1 some, 2 usage or input error (compile errors are printed as the
/// compiler does). In a terminal, loading shows a spinner and the summary is a table (standard error).
/// </summary>
internal sealed class CheckCommand : ICliCommand
{
    public string Name => "check";

    public Command Build(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "C# files, folders searched recursively for *.cs (bin/ and obj/ skipped), restored .csproj projects, or .sln/.slnx solutions.", Arity = ArgumentArity.OneOrMore };
        var protocol = new Option<string?>("--protocol") { Description = "Freeing protocol: a (barrier-cycle, Linux 6.18) or b (held-across, 2026). Default: .editorconfig's ptguard_protocol, else the PtGuardProtocol property, else a." };
        protocol.AcceptOnlyFromAmong("a", "b");
        var format = CliOptions.Choice("--format", "Output: text (compiler-style lines), sarif (SARIF 2.1.0) or json.", "text", "text", "sarif", "json");
        var command = new Command(Name, "Run the PtGuard rules over C# files, folders, projects or solutions and print the diagnostics.");
        command.Arguments.Add(paths);
        command.Options.Add(protocol);
        command.Options.Add(format);
        command.SetAction(parse => Run(context, parse.GetValue(paths)!, parse.GetValue(protocol), parse.GetValue(format)!));
        return command;
    }

    private static int Run(CliContext io, string[] paths, string? protocol, string format)
    {
        if (paths.FirstOrDefault(p => p.StartsWith('-') && !File.Exists(p) && !Directory.Exists(p)) is { } option)
        {
            throw new UsageException($"ptguard check: unknown option '{option}'");
        }
        var projects = paths.Where(p => File.Exists(p) && ProjectWorkspace.IsProjectOrSolution(p)).ToList();
        var loose = paths.Except(projects).ToList();
        if (paths.FirstOrDefault(p => !File.Exists(p) && ProjectWorkspace.IsProjectOrSolution(p)) is { } missing)
        {
            throw new UsageException($"ptguard check: no such file or folder: {missing}");
        }
        var looseFiles = loose.Count > 0 ? SourceFiles.Expand(loose, "check") : Array.Empty<string>();

        var results = Terminal.WithStatus(io.Err, "Reading", status =>
        {
            var all = new List<(AnalysisResult Result, int Files)>();
            foreach (var path in projects)
            {
                status($"Reading {path}");
                foreach (var project in ProjectWorkspace.LoadAsync(path, "check", name => status($"Reading {name}")).GetAwaiter().GetResult())
                {
                    status($"Analysing {project.Name}");
                    all.Add((PtGuardAnalysis.RunAsync(project, protocol).GetAwaiter().GetResult(), project.SourceFiles.Count));
                }
            }
            if (looseFiles.Count > 0)
            {
                status($"Analysing {looseFiles.Count} file(s)");
                all.Add((PtGuardAnalysis.RunAsync(LooseCompilation.Create(looseFiles), looseFiles, protocol).GetAwaiter().GetResult(), looseFiles.Count));
            }
            return all;
        });

        var cwd = Directory.GetCurrentDirectory();
        var errors = results.SelectMany(r => r.Result.CompileErrors).ToList();
        if (errors.Count > 0)
        {
            foreach (var e in errors) io.Err.WriteLine(DiagnosticText.Format(e, cwd));
            io.Err.WriteLine($"ptguard check: {errors.Count} compile error(s); the rules need code that compiles.");
            return ExitCodes.Usage;
        }
        var failures = results.SelectMany(r => r.Result.AnalyzerFailures).ToList();
        if (failures.Count > 0)
        {
            foreach (var f in failures) io.Err.WriteLine($"ptguard check: analyzer failure: {f}");
            return ExitCodes.Usage;
        }
        // A file shared by two projects of a solution is reported once.
        var diagnostics = results.SelectMany(r => r.Result.Diagnostics)
            .GroupBy(d => (d.Id, d.Location.GetLineSpan().Path, d.Location.SourceSpan.Start))
            .Select(g => g.First())
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        switch (format)
        {
            case "json":
                io.Out.WriteLine(DiagnosticReports.Json(diagnostics, cwd));
                break;
            case "sarif":
                io.Out.WriteLine(DiagnosticReports.Sarif(diagnostics, cwd));
                break;
            default:
                foreach (var d in diagnostics) io.Out.WriteLine(DiagnosticText.Format(d, cwd));
                break;
        }
        var fileCount = results.Sum(r => r.Files);
        if (Terminal.IsInteractive(io.Err) && diagnostics.Count > 0) WriteTable(io.Err, diagnostics);
        io.Err.WriteLine($"ptguard check: {diagnostics.Count} diagnostic(s) in {fileCount} file(s)");
        return diagnostics.Count == 0 ? ExitCodes.Ok : ExitCodes.Violation;
    }

    /// <summary>Per rule: how many, its severity and title (for a person at a terminal).</summary>
    private static void WriteTable(TextWriter err, IReadOnlyList<Diagnostic> diagnostics)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Rule", "Count", "Severity", "Title");
        foreach (var group in diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = group.First();
            var severity = first.Severity == DiagnosticSeverity.Error ? "[red]error[/]" : first.Severity == DiagnosticSeverity.Warning ? "[yellow]warning[/]" : "info";
            table.AddRow(
                new Markup($"[link={first.Descriptor.HelpLinkUri}]{group.Key}[/]"),
                new Text(group.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Markup(severity),
                new Text(first.Descriptor.Title.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        Terminal.Create(err, interactive: true).Write(table);
    }
}
