namespace PtGuard.Runtime.Litmus;

/// <summary>
/// A litmus file the front-end cannot run: a syntax error, an unknown instruction, an undefined label or an
/// unsupported feature. <see cref="Exception.Message"/> is one line, <c>file:line: what is wrong</c>.
/// </summary>
public sealed class LitmusException : PtGuardException
{
    /// <summary>Creates the error for <paramref name="file"/> at <paramref name="line"/> (1-based).</summary>
    public LitmusException(string file, int line, string what)
        : base($"{file}:{line}: {what}")
    {
        File = file;
        Line = line;
        What = what;
    }

    /// <summary>The file (as given on the command line).</summary>
    public string File { get; }

    /// <summary>The 1-based line the problem is on.</summary>
    public int Line { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string What { get; }
}
