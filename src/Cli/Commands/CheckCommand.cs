using System.CommandLine;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using PtGuard.Cli.Analysis;

namespace PtGuard.Cli.Commands;

/// <summary>
/// <c>ptguard check PATH... [--protocol a|b] [--format text|json]</c>: compiles the C# files (folders searched
/// recursively) against the BCL and PtGuard.Runtime, runs every PtGuard rule and prints one compiler-style line per
/// diagnostic. Exit 0 none, 1 some, 2 usage or input error (compile errors are printed as the compiler does).
/// </summary>
internal sealed class CheckCommand : ICliCommand
{
    public string Name => "check";

    public Command Build(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "C# files, or folders searched recursively for *.cs (bin/ and obj/ skipped).", Arity = ArgumentArity.OneOrMore };
        var protocol = new Option<string?>("--protocol") { Description = "Freeing protocol: a (barrier-cycle, Linux 6.18) or b (held-across, 2026). Default: .editorconfig's ptguard_protocol, else a." };
        protocol.AcceptOnlyFromAmong("a", "b");
        var format = CliOptions.Choice("--format", "Output: text (compiler-style lines) or json.", "text", "text", "json");
        var command = new Command(Name, "Run the PtGuard rules over C# files and print the diagnostics.");
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
        var files = SourceFiles.Expand(paths, "check");
        var compilation = LooseCompilation.Create(files);
        var result = PtGuardAnalysis.RunAsync(compilation, files, protocol).GetAwaiter().GetResult();
        var cwd = Directory.GetCurrentDirectory();
        if (result.CompileErrors.Count > 0)
        {
            foreach (var e in result.CompileErrors) io.Err.WriteLine(DiagnosticText.Format(e, cwd));
            io.Err.WriteLine($"ptguard check: {result.CompileErrors.Count} compile error(s); the rules need code that compiles.");
            return ExitCodes.Usage;
        }
        if (result.AnalyzerFailures.Count > 0)
        {
            foreach (var f in result.AnalyzerFailures) io.Err.WriteLine($"ptguard check: analyzer failure: {f}");
            return ExitCodes.Usage;
        }
        if (format == "json") WriteJson(io.Out, result.Diagnostics, cwd);
        else foreach (var d in result.Diagnostics) io.Out.WriteLine(DiagnosticText.Format(d, cwd));
        io.Err.WriteLine($"ptguard check: {result.Diagnostics.Count} diagnostic(s) in {files.Count} file(s)");
        return result.Diagnostics.Count == 0 ? ExitCodes.Ok : ExitCodes.Violation;
    }

    private static void WriteJson(TextWriter output, IReadOnlyList<Diagnostic> diagnostics, string cwd)
    {
        var items = diagnostics.Select(d =>
        {
            var span = d.Location.GetLineSpan();
            return new
            {
                id = d.Id,
                severity = d.Severity.ToString().ToLowerInvariant(),
                message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
                file = Path.IsPathRooted(span.Path) ? Path.GetRelativePath(cwd, span.Path) : span.Path,
                line = span.StartLinePosition.Line + 1,
                column = span.StartLinePosition.Character + 1,
                endLine = span.EndLinePosition.Line + 1,
                endColumn = span.EndLinePosition.Character + 1,
                helpLink = d.Descriptor.HelpLinkUri,
                properties = d.Properties,
            };
        });
        output.WriteLine(JsonSerializer.Serialize(new { diagnostics = items }, new JsonSerializerOptions { WriteIndented = true }));
    }
}
