using System.Globalization;

namespace PtGuard.Bench;

/// <summary>Whether a metric met its goal, missed it, or is for information only.</summary>
internal enum Status
{
    Met,
    Missed,
    Info,
}

/// <summary>
/// Prints metric lines in the format <c>bench/run</c> counts: <c>name&lt;TAB&gt;value&lt;TAB&gt;goal&lt;TAB&gt;met|missed|info</c>.
/// Everything else a benchmark wants to say goes to standard error.
/// </summary>
internal static class Report
{
    // Captured at start-up: Coyote's engine writes its progress to Console.Out, which the Coyote runs silence.
    private static readonly TextWriter Out = Console.Out;

    public static void Metric(string name, string value, string goal, Status status)
    {
        // A tab or newline inside a field would break the four-column format.
        static string Clean(string s) => s.Replace('\t', ' ').Replace('\n', ' ');
        Out.WriteLine($"{Clean(name)}\t{Clean(value)}\t{Clean(goal)}\t{status.ToString().ToLowerInvariant()}");
        Out.Flush();
    }

    /// <summary>A ratio with a "≤ goal" target.</summary>
    public static void Ratio(string name, double value, double goal, string detail) =>
        Metric(name, $"{F(value, 3)} ({detail})", $"<= {F(goal, 2)}", value <= goal ? Status.Met : Status.Missed);

    public static void Info(string name, string value) => Metric(name, value, "-", Status.Info);

    public static void Note(string text) => Console.Error.WriteLine(text);

    public static string F(double v, int digits) => v.ToString("F" + digits, CultureInfo.InvariantCulture);

    public static string Ms(TimeSpan t) => F(t.TotalMilliseconds, t.TotalMilliseconds < 10 ? 2 : 0) + " ms";

    public static string PerSecond(double count, TimeSpan t) =>
        t.TotalSeconds <= 0 ? "n/a" : (count / t.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture);
}
