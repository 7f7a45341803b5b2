using System.CommandLine;
using System.Reflection;

namespace PtGuard.Cli;

/// <summary>
/// The <c>ptguard</c> entry point. Commands live one per file under <c>Commands/</c>; each is a class implementing
/// <see cref="ICliCommand"/> and is found here by reflection, so adding a command never touches this file.
/// </summary>
public static class Program
{
    /// <summary>Process entry point.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line <paramref name="args"/> writing to <paramref name="stdout"/> and <paramref name="stderr"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(stdout, stderr);
        var root = new RootCommand("PtGuard: guards the discipline that keeps a page-table walker from reading a freed page table.");
        foreach (var command in Commands().OrderBy(c => c.Name, StringComparer.Ordinal)) root.Subcommands.Add(command.Build(context));

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            // One clear line, exit 2 (DESIGN.md §4: usage errors).
            var name = parse.CommandResult.Command == root ? "ptguard" : "ptguard " + parse.CommandResult.Command.Name;
            var message = System.Text.RegularExpressions.Regex.Replace(parse.Errors[0].Message, @"\s*\n\s*", " ");
            stderr.WriteLine($"{name}: {message}");
            return ExitCodes.Usage;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (UsageException ex)
        {
            stderr.WriteLine(ex.Message);
            return ExitCodes.Usage;
        }
        catch (PtGuard.Runtime.PtGuardException ex)
        {
            stderr.WriteLine($"ptguard: {ex.Message}");
            return ExitCodes.Usage;
        }
    }

    private static IEnumerable<ICliCommand> Commands() =>
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (ICliCommand)Activator.CreateInstance(t, nonPublic: true)!);
}

/// <summary>One <c>ptguard</c> subcommand. Implement it in its own file under <c>Commands/</c>; Program finds it.</summary>
public interface ICliCommand
{
    /// <summary>The subcommand's name (<c>litmus</c>).</summary>
    string Name { get; }

    /// <summary>Builds the command, its options and its action, writing through <paramref name="context"/>.</summary>
    Command Build(CliContext context);
}

/// <summary>Where a command writes: standard output and standard error (tests pass their own writers).</summary>
public sealed record CliContext(TextWriter Out, TextWriter Err);

/// <summary>The exit codes of DESIGN.md §4.</summary>
public static class ExitCodes
{
    /// <summary>Success; for explore, "safe".</summary>
    public const int Ok = 0;

    /// <summary>explore: a violation; check: some diagnostics.</summary>
    public const int Violation = 1;

    /// <summary>A usage, input, parse or unsupported-feature error.</summary>
    public const int Usage = 2;

    /// <summary>explore: stopped by a bound before it was complete, nothing found.</summary>
    public const int Inconclusive = 3;
}

/// <summary>A usage error found by a command's action (a missing path, an unknown scenario); printed as one line, exit 2.</summary>
public sealed class UsageException(string message) : Exception(message);
