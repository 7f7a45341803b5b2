using System.CommandLine;
using PtGuard.Cli.Analysis;
using PtGuard.CodeFixes;

namespace PtGuard.Cli.Commands;

/// <summary>
/// <c>ptguard fix PATH... [--rule ID] [--protocol a|b] [--dry-run]</c>: applies PtGuard's code fixes to C# files (or
/// folders of them) until none applies, rewrites the files in place and prints one line per fix
/// (<c>file(line,col): fixed PTG0001: what</c>); with <c>--dry-run</c> it prints a unified diff and writes nothing.
/// Code that does not compile is reported compiler-style and left alone. Exit 0 ok, 2 error.
/// </summary>
internal sealed class FixCommand : ICliCommand
{
    public string Name => "fix";

    public Command Build(CliContext context)
    {
        var paths = new Argument<string[]>("PATH") { Description = "C# files, or folders searched recursively for *.cs.", Arity = ArgumentArity.OneOrMore };
        var rule = new Option<string[]>("--rule") { Description = "Fix only this rule (PTG0001 ...); repeat for several.", AllowMultipleArgumentsPerToken = false };
        var protocol = new Option<string?>("--protocol") { Description = "Freeing protocol: a (barrier-cycle, Linux 6.18) or b (held-across, 2026); default: ptguard_protocol in .editorconfig, else a." };
        protocol.AcceptOnlyFromAmong("a", "b");
        var dryRun = new Option<bool>("--dry-run") { Description = "Print a unified diff of the fixes and change nothing." };
        var command = new Command(Name, "Rewrite C# files in place with PtGuard's code fixes (a unified diff with --dry-run).");
        command.Arguments.Add(paths);
        command.Options.Add(rule);
        command.Options.Add(protocol);
        command.Options.Add(dryRun);
        command.SetAction(parse => Run(context, parse.GetValue(paths)!, parse.GetValue(rule) ?? Array.Empty<string>(), parse.GetValue(protocol), parse.GetValue(dryRun)));
        return command;
    }

    private static int Run(CliContext io, string[] paths, string[] rules, string? protocol, bool dryRun)
    {
        if (paths.FirstOrDefault(p => p.StartsWith('-') && !File.Exists(p) && !Directory.Exists(p)) is { } option)
        {
            throw new UsageException($"ptguard fix: unknown option '{option}'");
        }
        var wanted = rules.Select(r => r.Trim().ToUpperInvariant()).ToList();
        if (wanted.FirstOrDefault(r => !DocumentFixer.AllIds.Contains(r)) is { } unknown)
        {
            throw new UsageException($"ptguard fix: unknown rule '{unknown}' (rules: {DocumentFixer.AllIds.First()}..{DocumentFixer.AllIds.Last()})");
        }
        var sources = SourceSet.Load(paths, "fix");
        var errors = sources.CompileErrorsAsync().GetAwaiter().GetResult();
        if (errors.Count > 0)
        {
            foreach (var e in errors) io.Err.WriteLine(e);
            io.Err.WriteLine($"ptguard fix: the code does not compile ({errors.Count} error{(errors.Count == 1 ? "" : "s")}); nothing was changed");
            return ExitCodes.Usage;
        }
        var changed = sources.FixAsync(protocol, wanted).GetAwaiter().GetResult();
        foreach (var file in changed)
        {
            if (dryRun)
            {
                io.Out.Write(UnifiedDiff.Create(file.File.Path, file.Before, file.After));
                continue;
            }
            File.WriteAllText(file.File.Path, file.After, file.File.Encoding);
            foreach (var fix in file.Applied) io.Out.WriteLine($"{file.File.Path}({fix.Line},{fix.Column}): fixed {fix.Id}: {fix.Title}");
        }
        var count = changed.Sum(f => f.Applied.Count);
        var summary = $"ptguard fix: {count} fix{(count == 1 ? "" : "es")} in {changed.Count} file{(changed.Count == 1 ? "" : "s")}{(dryRun ? " (dry run, nothing written)" : "")}";
        (dryRun ? io.Err : io.Out).WriteLine(summary);
        return ExitCodes.Ok;
    }
}
