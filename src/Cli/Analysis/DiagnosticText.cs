using System.Globalization;
using Microsoft.CodeAnalysis;

namespace PtGuard.Cli.Analysis;

/// <summary>Diagnostics as the compiler prints them: <c>file(line,col): warning PTG0001: message</c>.</summary>
public static class DiagnosticText
{
    /// <summary>One compiler-style line; <paramref name="baseDirectory"/> makes paths relative when they are below it.</summary>
    public static string Format(Diagnostic d, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(d);
        var span = d.Location.GetLineSpan();
        var path = span.Path;
        if (baseDirectory is not null && Path.IsPathRooted(path))
        {
            var relative = Path.GetRelativePath(baseDirectory, path);
            if (!relative.StartsWith("..", StringComparison.Ordinal)) path = relative;
        }
        var severity = d.Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var line = span.StartLinePosition.Line + 1;
        var col = span.StartLinePosition.Character + 1;
        return string.Create(CultureInfo.InvariantCulture, $"{path}({line},{col}): {severity} {d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}");
    }
}
