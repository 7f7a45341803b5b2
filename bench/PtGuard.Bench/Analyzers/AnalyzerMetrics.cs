namespace PtGuard.Bench.Analyzers;

/// <summary>
/// The analyzer metrics read from the build campaign (<see cref="AnalyzerBuilds"/>): the first of these steps that a
/// <c>bench/run</c> reaches runs the builds, the others read them. Times are medians over the repetitions.
/// </summary>
internal static class AnalyzerMetrics
{
    /// <summary>
    /// Extra build time with PtGuard's analyzers / build time without them, the extra time attributed with
    /// ReportAnalyzer as the issue asks: PtGuard's analyzer seconds in the builds with it (median) / the wall time of
    /// the builds without it (median). The wall-clock difference of the two kinds of build is printed next to it with
    /// the spread of the paired differences (each repetition builds both, back to back): on this shared 2-core machine
    /// a 90 s rebuild moves by several seconds from one run to the next, more than the whole cost being measured, so the
    /// difference says how noisy the machine was rather than what the analyzers cost.
    /// </summary>
    public static void Overhead(bool quick)
    {
        var c = AnalyzerBuilds.Get(quick);
        var baseline = c.Median(AnalyzerBuilds.Baseline, b => b.WallSeconds);
        var with = c.Median(AnalyzerBuilds.With, b => b.WallSeconds);
        var ptguard = c.Median(AnalyzerBuilds.With, b => b.Analyzer(AnalyzerBuilds.PtGuardAssembly));
        var paired = c.Of(AnalyzerBuilds.With)
            .Join(c.Of(AnalyzerBuilds.Baseline), w => w.Repetition, b => b.Repetition, (w, b) => w.WallSeconds - b.WallSeconds)
            .OrderBy(d => d)
            .ToList();
        var attributed = ptguard / baseline;
        Report.Ratio("analyzer_overhead", attributed,
            0.05,
            $"{Describe(c)}; PtGuard analyzer time {Report.F(ptguard, 3)} s (ReportAnalyzer) / build without {Report.F(baseline, 1)} s; " +
            $"wall clock: {Report.F(with, 1)} s with vs {Report.F(baseline, 1)} s without, difference {Report.F((with - baseline) / baseline, 3)}, " +
            $"paired differences {string.Join(", ", paired.Select(d => Report.F(d, 1) + " s"))} (machine noise: see BENCHMARKS.md)");
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
