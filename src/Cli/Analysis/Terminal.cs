using Spectre.Console;

namespace PtGuard.Cli.Analysis;

/// <summary>
/// Whether a command may draw for a person (a spinner while projects load, tables, colour) on standard error: only when
/// that is the process's own standard error, it is a terminal, and neither <c>CI</c> nor <c>NO_COLOR</c> is set.
/// Otherwise everything is plain text. Diagnostic lines on standard output are compiler-style either way.
/// </summary>
public static class Terminal
{
    /// <summary>True when <paramref name="err"/> is an interactive terminal a person reads.</summary>
    public static bool IsInteractive(TextWriter err) =>
        ReferenceEquals(err, Console.Error)
        && !Console.IsErrorRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>True when <paramref name="output"/> is the process's standard output and that is an interactive terminal.</summary>
    public static bool IsInteractiveOutput(TextWriter output) =>
        ReferenceEquals(output, Console.Out)
        && !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>A Spectre console over <paramref name="writer"/>, with colour and animation only when interactive.</summary>
    public static IAnsiConsole Create(TextWriter writer, bool interactive) =>
        AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });

    /// <summary>Runs <paramref name="work"/> under a spinner captioned <paramref name="caption"/> when interactive; plainly otherwise.</summary>
    public static T WithStatus<T>(TextWriter err, string caption, Func<Action<string>, T> work)
    {
        if (!IsInteractive(err)) return work(_ => { });
        var console = Create(err, interactive: true);
        return console.Status().Spinner(Spinner.Known.Dots).Start(Markup.Escape(caption), ctx => work(text => ctx.Status(Markup.Escape(text))));
    }
}
