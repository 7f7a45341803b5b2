using PtGuard.Runtime.Litmus;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Bench;

/// <summary>The explorer's own figures: per-scenario cost, reduction optimality, growth of v6, the litmus corpus.</summary>
internal static class ExplorerMetrics
{
    private static readonly MemoryModel[] Models = { MemoryModel.Arm64, MemoryModel.Sc };

    /// <summary>
    /// <c>explorer_scenario:NAME/MODEL</c> (info): each built-in scenario run as <c>ptguard explore</c> runs it (exhaustive,
    /// stops at the first violation): verdict, executions, distinct, blocked, events/s and the median time.
    /// </summary>
    public static void Scenarios(bool quick)
    {
        var reps = quick ? 3 : 7;
        Warm();
        foreach (var scenario in BuiltInScenarios.All)
        {
            foreach (var model in Models)
            {
                ExploreResult? last = null;
                var times = new List<double>();
                for (var i = 0; i < reps; i++)
                {
                    var program = scenario.Build();
                    last = Explorer.Explore(program, new ExploreOptions { Model = model });
                    times.Add(last.Elapsed.TotalMilliseconds);
                }
                var t = TimeSpan.FromMilliseconds(Stats.Median(times));
                Report.Info($"explorer_scenario:{scenario.Name}/{Name(model)}",
                    $"{Verdict(last!)}; executions {last!.Executions}, distinct {last.Distinct}, blocked {last.Blocked}, events {last.Events}, " +
                    $"{Report.Ms(t)} (median of {reps}), {Report.PerSecond(last.Events, t)} events/s");
            }
        }
    }

    /// <summary>
    /// <c>explorer_optimality</c>: executions explored / distinct executions, summed over every built-in scenario on both
    /// models (explored completely, past any violation) and every test of the litmus corpus on both models. Also the
    /// share of blocked executions (graphs built and thrown away) and the extra work of load-buffering rounds.
    /// </summary>
    public static void Optimality(bool quick)
    {
        long executions = 0, distinct = 0, blocked = 0;
        var inputs = new List<string>();
        foreach (var scenario in BuiltInScenarios.All)
        {
            foreach (var model in Models)
            {
                var r = Explorer.Explore(scenario.Build(), new ExploreOptions { Model = model, ContinueAfterViolation = true });
                if (r.StoppedBy is not null) Report.Note($"optimality: {scenario.Name}/{Name(model)} stopped early: {r.StoppedBy}");
                executions += r.Executions;
                distinct += r.Distinct;
                blocked += r.Blocked;
                if (r.Executions != r.Distinct) Report.Note($"optimality: {scenario.Name}/{Name(model)}: {r.Executions} executions, {r.Distinct} distinct");
            }
        }
        inputs.Add($"{BuiltInScenarios.All.Count} scenarios x 2 models");

        var found = LitmusCorpusFiles.Find();
        var litmus = found is null ? null : RunLitmus(found.Value.Corpus.Concat(found.Value.Extra).ToList());
        if (litmus is not null)
        {
            executions += litmus.Executions;
            distinct += litmus.Distinct;
            blocked += litmus.Blocked;
            inputs.Add($"{litmus.Tests} litmus tests ({found!.Value.Corpus.Count} herd7 corpus + {found.Value.Extra.Count} extra) x 2 models");
        }
        else
        {
            inputs.Add("no litmus corpus found (tests/Runtime.Tests/Litmus/corpus or ../shared/litmus)");
        }

        var ratio = distinct == 0 ? double.NaN : (double)executions / distinct;
        Report.Ratio("explorer_optimality", ratio, 1.05, $"{executions} executions / {distinct} distinct; {string.Join(" + ", inputs)}");
        Report.Info("explorer_blocked_share",
            $"{Report.F(distinct == 0 ? double.NaN : (double)(executions + blocked) / distinct, 3)} ((executions + blocked) / distinct: {blocked} blocked graphs were built and dropped, not counted as executions)");

        if (litmus is not null)
        {
            var byThreads = string.Join(", ", litmus.ByThreads.OrderBy(kv => kv.Key).Select(kv =>
                $"{kv.Key} threads: {kv.Value.Tests} tests, {kv.Value.Executions} executions, {Report.Ms(kv.Value.Time)}"));
            Report.Info("explorer_litmus_corpus",
                $"{litmus.Tests} tests; arm64 (load buffering on) {Report.Ms(litmus.Arm64Time)}, sc {Report.Ms(litmus.ScTime)}; " +
                $"executions arm64 {litmus.Arm64Executions}, sc {litmus.ScExecutions}; arm64 by threads: {byThreads}" +
                (litmus.Failures.Count > 0 ? $"; could not run: {string.Join(", ", litmus.Failures)}" : ""));
            Report.Info("explorer_lb_round_cost",
                $"{Report.F(litmus.EventsNoLb == 0 ? double.NaN : (double)litmus.EventsLb / litmus.EventsNoLb, 2)} (events with load-buffering rounds / events of one round without; arm64 litmus tests: {litmus.EventsLb} / {litmus.EventsNoLb}; 'executions' counts only the final round)");
        }
    }

    /// <summary><c>explorer_growth</c> (info): v6 with 1, 2, 4, 8 freed PTE tables on both models.</summary>
    public static void Growth(bool quick)
    {
        Warm();
        var reps = quick ? 3 : 5;
        foreach (var model in Models)
        {
            var parts = new List<string>();
            foreach (var n in new[] { 1, 2, 4, 8 })
            {
                ExploreResult? last = null;
                var times = new List<double>();
                for (var i = 0; i < reps; i++)
                {
                    last = Explorer.Explore(BuiltInScenarios.V6WithPteTables(n), new ExploreOptions { Model = model, Timeout = TimeSpan.FromMinutes(2) });
                    times.Add(last.Elapsed.TotalMilliseconds);
                }
                var t = TimeSpan.FromMilliseconds(Stats.Median(times));
                parts.Add($"{n}: {last!.Distinct} distinct{(last.StoppedBy is null ? "" : " (stopped: " + last.StoppedBy + ")")}, {Report.Ms(t)}, {Report.PerSecond(last.Events, t)} ev/s");
            }
            Report.Info($"explorer_growth/{Name(model)}", string.Join("; ", parts));
        }
    }

    private sealed record LitmusTotals(int Tests, long Executions, long Distinct, long Blocked, TimeSpan Arm64Time, TimeSpan ScTime,
        long Arm64Executions, long ScExecutions, Dictionary<int, (int Tests, long Executions, TimeSpan Time)> ByThreads, long EventsLb, long EventsNoLb, List<string> Failures);

    private static LitmusTotals RunLitmus(IReadOnlyList<string> files)
    {
        long executions = 0, distinct = 0, blocked = 0, arm64Exec = 0, scExec = 0, eventsLb = 0, eventsNoLb = 0;
        TimeSpan arm64 = TimeSpan.Zero, sc = TimeSpan.Zero;
        var byThreads = new Dictionary<int, (int Tests, long Executions, TimeSpan Time)>();
        var failures = new List<string>();
        var tests = 0;
        foreach (var file in files)
        {
            LitmusTest test;
            try
            {
                test = LitmusParser.ParseFile(file);
            }
            catch (PtGuard.Runtime.PtGuardException ex)
            {
                failures.Add($"{Path.GetFileName(file)} ({ex.Message})");
                continue;
            }
            tests++;
            foreach (var model in Models)
            {
                try
                {
                    // Through the explorer directly, so that blocked executions and events are counted too.
                    var options = LitmusRunner.DefaultOptions(model);
                    var r = Explorer.Explore(LitmusRunner.ToProgram(test), options);
                    executions += r.Executions;
                    distinct += r.Distinct;
                    blocked += r.Blocked;
                    if (model == MemoryModel.Arm64)
                    {
                        arm64 += r.Elapsed;
                        arm64Exec += r.Executions;
                        var (n, e, t) = byThreads.GetValueOrDefault(test.ThreadCount);
                        byThreads[test.ThreadCount] = (n + 1, e + r.Executions, t + r.Elapsed);
                        eventsLb += r.Events;
                        var single = Explorer.Explore(LitmusRunner.ToProgram(test), options with { LoadBuffering = false });
                        eventsNoLb += single.Events;
                    }
                    else
                    {
                        sc += r.Elapsed;
                        scExec += r.Executions;
                    }
                }
                catch (PtGuard.Runtime.PtGuardException ex)
                {
                    failures.Add($"{Path.GetFileName(file)}/{Name(model)} ({ex.Message})");
                }
            }
        }
        return new LitmusTotals(tests, executions, distinct, blocked, arm64, sc, arm64Exec, scExec, byThreads, eventsLb, eventsNoLb, failures);
    }

    /// <summary>
    /// Explores the scenarios over and over for <paramref name="time"/> (default 2 s), so that measured runs see the
    /// tiered JIT's optimized code: the first explorations in a process run several times slower.
    /// </summary>
    internal static void Warm(TimeSpan? time = null)
    {
        var budget = time ?? TimeSpan.FromSeconds(2);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < budget)
        {
            foreach (var model in Models)
            {
                foreach (var s in BuiltInScenarios.All.Where(s => s.Name != "v6-two-walkers")) Explorer.Explore(s.Build(), new ExploreOptions { Model = model });
            }
        }
    }

    internal static string Name(MemoryModel m) => m == MemoryModel.Arm64 ? "arm64" : "sc";

    private static string Verdict(ExploreResult r) => r.Verdict switch
    {
        Runtime.Memory.Verdict.Violation => r.Violation!.Kind,
        Runtime.Memory.Verdict.Inconclusive => "inconclusive (" + r.StoppedBy + ")",
        _ => "safe",
    };
}

/// <summary>
/// Finds the litmus tests: the herd7 corpus (the repository's copy in tests/Runtime.Tests/Litmus/corpus, else
/// ../shared/litmus) and the repository's extra tests (tests/Runtime.Tests/Litmus/extra) when present.
/// </summary>
internal static class LitmusCorpusFiles
{
    public static (IReadOnlyList<string> Corpus, IReadOnlyList<string> Extra)? Find()
    {
        var root = RepoRoot();
        if (root is null) return null;
        var corpus = new[] { Path.Combine(root, "tests", "Runtime.Tests", "Litmus", "corpus"), Path.Combine(root, "..", "shared", "litmus") }
            .Select(Litmus).FirstOrDefault(files => files.Count > 0);
        if (corpus is null) return null;
        return (corpus, Litmus(Path.Combine(root, "tests", "Runtime.Tests", "Litmus", "extra")));
    }

    private static IReadOnlyList<string> Litmus(string dir) => Directory.Exists(dir)
        ? Directory.EnumerateFiles(dir, "*.litmus", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList()
        : Array.Empty<string>();

    public static string? RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "PtGuard.sln"))) dir = dir.Parent;
        return dir?.FullName;
    }
}
