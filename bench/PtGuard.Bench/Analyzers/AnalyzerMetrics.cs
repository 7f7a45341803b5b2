namespace PtGuard.Bench.Analyzers;

/// <summary>
/// The analyzer metrics read from the build campaign (<see cref="AnalyzerBuilds"/>): the first of these steps that a
/// <c>bench/run</c> reaches runs the builds, the others read them. Times are medians over the repetitions.
/// </summary>
internal static class AnalyzerMetrics
{
    /// <summary>
    /// Extra build time with PtGuard's analyzers / build time without them. Two measures, both printed: the wall-clock
    /// difference of the two builds (medians), and PtGuard's own analyzer time as ReportAnalyzer attributes it (which
    /// does not move with the machine's load the way a difference of two minutes-long builds does). The metric is the
    /// larger of the two, so a noisy build cannot hide a real cost.
    /// </summary>
    public static void Overhead(bool quick)
    {
        var c = AnalyzerBuilds.Get(quick);
        var baseline = c.Median(AnalyzerBuilds.Baseline, b => b.WallSeconds);
        var with = c.Median(AnalyzerBuilds.With, b => b.WallSeconds);
        var ptguard = c.Median(AnalyzerBuilds.With, b => b.Analyzer(AnalyzerBuilds.PtGuardAssembly));
        var wallRatio = (with - baseline) / baseline;
        var attributed = ptguard / baseline;
        var value = Math.Max(wallRatio, attributed);
        Report.Ratio("analyzer_overhead", value,
            0.05,
            $"{Describe(c)}; build {Report.F(with, 1)} s with PtGuard vs {Report.F(baseline, 1)} s without, wall difference {Report.F(wallRatio, 3)}; " +
            $"PtGuard analyzer time {Report.F(ptguard, 3)} s (ReportAnalyzer) / build without {Report.F(attributed, 4)}; the larger counts");
    }

    /// <summary>PtGuard's analyzer time / the VS threading analyzers' time, per build of the same project, median.</summary>
    public static void VsThreading(bool quick)
    {
        var c = AnalyzerBuilds.Get(quick);
        var ratios = c.Of(AnalyzerBuilds.With)
            .Select(b => b.Analyzer(AnalyzerBuilds.PtGuardAssembly) / b.Analyzer(AnalyzerBuilds.VsThreadingAssembly))
            .ToList();
        var ptguard = c.Median(AnalyzerBuilds.With, b => b.Analyzer(AnalyzerBuilds.PtGuardAssembly));
        var vsthrd = c.Median(AnalyzerBuilds.With, b => b.Analyzer(AnalyzerBuilds.VsThreadingAssembly));
        Report.Ratio("analyzer_vs_vsthrd", Stats.Median(ratios), 1.0,
            $"{Describe(c)}; PtGuard {Report.F(ptguard, 3)} s / {AnalyzerBuilds.VsThreadingAssembly} {c.VsThreadingVersion} {Report.F(vsthrd, 3)} s " +
            "(both of its assemblies, .CSharp included; ReportAnalyzer, same builds)");
    }

    /// <summary>PtGuard's analyzer time without a PtGuard.Runtime reference / with it.</summary>
    public static void Inert(bool quick)
    {
        var c = AnalyzerBuilds.Get(quick);
        var inert = c.Median(AnalyzerBuilds.Inert, b => b.Analyzer(AnalyzerBuilds.PtGuardAssembly));
        var with = c.Median(AnalyzerBuilds.With, b => b.Analyzer(AnalyzerBuilds.PtGuardAssembly));
        var inertLines = c.Shape.Lines; // the inert build compiles Ordinary/ only: about 98% of them
        Report.Ratio("analyzer_inert", inert / with, 0.05,
            $"PtGuard {Report.F(inert, 3)} s without the runtime (Ordinary/ only, no PtGuard.Runtime reference) / {Report.F(with, 3)} s with it " +
            $"(all {inertLines} lines); ReportAnalyzer, medians of {c.Of(AnalyzerBuilds.Inert).Count()}; ReportAnalyzer prints times below 1 ms as <0.001, read as 0");
    }

    private static string Describe(AnalyzerBuilds.Campaign c) =>
        $"{c.Shape.Lines} lines, {c.Shape.Methods} methods, {c.Shape.PageTableMethods} free or walk page tables, {c.Shape.AsyncMethods} async; medians of {c.Of(AnalyzerBuilds.With).Count()} rebuilds each";
}
