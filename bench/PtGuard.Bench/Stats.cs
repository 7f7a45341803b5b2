using System.Diagnostics;

namespace PtGuard.Bench;

/// <summary>Small timing helpers: the machines are shared and noisy, so every speed figure is a median of several runs.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyCollection<double> xs)
    {
        if (xs.Count == 0) return double.NaN;
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    public static TimeSpan Time(Action action)
    {
        var sw = Stopwatch.StartNew();
        action();
        return sw.Elapsed;
    }
}
