using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PtGuard.Runtime;
using PtGuard.Runtime.Litmus;
using PtGuard.Runtime.Memory;

namespace PtGuard.Cli.Commands;

/// <summary>
/// <c>ptguard litmus PATH... [--model arm64|sc] [--format text|tsv]</c>: runs herd7 AArch64 litmus tests (files, or
/// folders searched recursively for <c>*.litmus</c>). tsv prints <c>name&lt;TAB&gt;Allowed|Forbidden&lt;TAB&gt;executions</c>
/// per test; text adds the condition and one witness of the outcome when it is reachable. A file that cannot be
/// parsed or uses an unsupported feature prints <c>file:line: what</c> on stderr; the others are still run; exit 2.
/// </summary>
internal sealed class LitmusCommand : ICliCommand
{
    public string Name => "litmus";

    public Command Build(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "Litmus files, or folders searched recursively for *.litmus.", Arity = ArgumentArity.OneOrMore };
        var model = CliOptions.Model();
        var format = CliOptions.Choice("--format", "Output: text (verdict, counts, a witness when reachable) or tsv (name, verdict, executions).", "text", "text", "tsv");
        var command = new Command(Name, "Run herd7 AArch64 litmus tests on the memory model and print each verdict.");
        command.Arguments.Add(paths);
        command.Options.Add(model);
        command.Options.Add(format);
        command.SetAction(parse => Run(context, parse.GetValue(paths)!, CliOptions.ParseModel(parse.GetValue(model)!), parse.GetValue(format) == "tsv"));
        return command;
    }

    private static int Run(CliContext io, string[] paths, MemoryModel model, bool tsv)
    {
        // System.CommandLine hands an unknown option to the PATH list: report it as the usage error it is.
        if (paths.FirstOrDefault(p => p.StartsWith('-') && !File.Exists(p) && !Directory.Exists(p)) is { } option)
        {
            throw new UsageException($"ptguard litmus: unknown option '{option}'");
        }
        var failed = false;
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path)) files.Add(path);
            else if (Directory.Exists(path)) files.AddRange(Directory.EnumerateFiles(path, "*.litmus", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            else
            {
                io.Err.WriteLine($"ptguard litmus: no such file or folder: {path}");
                failed = true;
            }
        }

        var clock = Stopwatch.StartNew();
        int allowed = 0, forbidden = 0, errors = 0;
        foreach (var file in files)
        {
            LitmusResult result;
            try
            {
                result = LitmusRunner.Run(LitmusParser.ParseFile(file), model);
            }
            catch (LitmusException ex)
            {
                io.Err.WriteLine(ex.Message);
                failed = true;
                errors++;
                continue;
            }
            catch (PtGuardException ex)
            {
                io.Err.WriteLine($"{file}:1: {ex.Message}");
                failed = true;
                errors++;
                continue;
            }
            if (result.StoppedBy is not null)
            {
                io.Err.WriteLine($"{file}:1: exploration stopped early ({result.StoppedBy}); no verdict");
                failed = true;
                errors++;
                continue;
            }
            if (result.Allowed) allowed++;
            else forbidden++;
            if (tsv) io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{result.Test.Name}\t{result.Verdict}\t{result.Executions}"));
            else PrintText(io.Out, file, result);
        }
        if (!tsv && files.Count > 0)
        {
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{files.Count} test{(files.Count == 1 ? "" : "s")} on {CliOptions.Name(model)}: {allowed} Allowed, {forbidden} Forbidden, {errors} error{(errors == 1 ? "" : "s")} ({clock.Elapsed.TotalSeconds:0.00} s)"));
        }
        return failed ? ExitCodes.Usage : ExitCodes.Ok;
    }

    private static void PrintText(TextWriter o, string file, LitmusResult r)
    {
        var t = r.Test;
        var quantifier = t.Condition.Quantifier switch
        {
            LitmusQuantifier.NotExists => "~exists",
            LitmusQuantifier.Forall => "forall",
            _ => "exists",
        };
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{t.Name}: {r.Verdict}  ({r.Executions} executions, {r.Matching} with the outcome; {r.Elapsed.TotalMilliseconds:0} ms)  {file}"));
        o.WriteLine($"  {quantifier} {t.Condition.Text}");
        if (r.Witness is not null)
        {
            o.WriteLine();
            foreach (var line in WitnessText.Render(r.Witness).TrimEnd('\n').Split('\n')) o.WriteLine("    " + line);
        }
        o.WriteLine();
    }
}
