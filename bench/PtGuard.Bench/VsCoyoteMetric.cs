using System.Diagnostics;
using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Bench;

/// <summary>
/// <c>explorer_vs_coyote</c>: time for PtGuard's explorer (exhaustive, sc) to find the <c>prepatch</c> use-after-free,
/// over the time Microsoft.Coyote's systematic testing engine needs to find the same race (<see cref="CoyoteRace"/>)
/// with its best strategy. Both sides are measured in turn within each repetition, and each side's time is the
/// median over the repetitions (each Coyote repetition with another seed). Times include building the program.
/// </summary>
internal static class VsCoyoteMetric
{
    private const uint CoyoteIterationBudget = 100_000;

    private static readonly (string Name, Func<Configuration, Configuration> Apply)[] Strategies =
    {
        ("random", c => c.WithRandomStrategy()),
        ("probabilistic", c => c.WithProbabilisticStrategy()),
        ("prioritization", c => c.WithPrioritizationStrategy(isFair: false)),
        ("fair-prioritization", c => c.WithPrioritizationStrategy(isFair: true)),
        ("delay-bounding", c => c.WithDelayBoundingStrategy(isFair: false)),
    };

    public static void Run(bool quick)
    {
        var reps = quick ? 7 : 21;
        var scenario = BuiltInScenarios.Find("prepatch")!;

        // Warm both sides (tiered JIT, Coyote's first-engine set-up) for the same time before anything is timed.
        var warm = TimeSpan.FromSeconds(quick ? 2 : 5);
        var sw = Stopwatch.StartNew();
        for (var i = 0; sw.Elapsed < warm; i++)
        {
            PtGuardFind(scenario, Strategy.Exhaustive, i);
            PtGuardFind(scenario, Strategy.Random, i);
        }
        sw.Restart();
        for (var i = 0; sw.Elapsed < warm; i++)
        {
            foreach (var s in Strategies) CoyoteFind(scenario, s.Apply, (uint)(1000 + i));
        }

        var ptguard = new List<double>();
        var ptguardRandom = new List<double>();
        var coyote = Strategies.ToDictionary(s => s.Name, _ => new List<double>());
        var coyoteIterations = Strategies.ToDictionary(s => s.Name, _ => new List<double>());
        var misses = Strategies.ToDictionary(s => s.Name, _ => 0);
        for (var rep = 0; rep < reps; rep++)
        {
            ptguard.Add(PtGuardFind(scenario, Strategy.Exhaustive, rep).TotalMilliseconds);
            foreach (var s in Strategies)
            {
                var (found, time, iterations) = CoyoteFind(scenario, s.Apply, (uint)(rep + 1));
                if (!found) misses[s.Name]++;
                coyote[s.Name].Add(found ? time.TotalMilliseconds : double.PositiveInfinity);
                coyoteIterations[s.Name].Add(iterations);
            }
            ptguardRandom.Add(PtGuardFind(scenario, Strategy.Random, rep).TotalMilliseconds);
        }

        var best = Strategies.Select(s => (s.Name, Median: Stats.Median(coyote[s.Name]))).OrderBy(x => x.Median).First();
        var ours = Stats.Median(ptguard);
        var perStrategy = string.Join(", ", Strategies.Select(s =>
            $"{s.Name} {FormatMs(Stats.Median(coyote[s.Name]))} ({Stats.Median(coyoteIterations[s.Name]):0} iterations{(misses[s.Name] > 0 ? $", missed {misses[s.Name]}/{reps}" : "")})"));
        Report.Ratio("explorer_vs_coyote", ours / best.Median, 1.0,
            $"PtGuard exhaustive sc {FormatMs(ours)} / Coyote best ({best.Name}) {FormatMs(best.Median)}; medians of {reps}");
        Report.Info("explorer_vs_coyote_strategies", $"Coyote 1.7.11 time to the bug: {perStrategy}; PtGuard random (seeds 0..{reps - 1}) {FormatMs(Stats.Median(ptguardRandom))}");

        SchedulesPerSecond(scenario, quick);
        Control(scenario, quick);
    }

    /// <summary>
    /// The Coyote model's check must not fire by itself: with the freer holding <c>mmap_read_lock</c> across the free,
    /// the write-locked walk cannot overlap it, and every strategy must come back clean.
    /// </summary>
    private static void Control(Scenario scenario, bool quick)
    {
        var iterations = (uint)(quick ? 100 : 500);
        var clean = new List<string>();
        var stdout = Console.Out;
        Console.SetOut(TextWriter.Null);
        try
        {
            foreach (var s in Strategies)
            {
                var race = new CoyoteRace(scenario.Build(), holdReadLock: true);
                var config = s.Apply(Quiet(Configuration.Create())).WithTestingIterations(iterations).WithRandomGeneratorSeed(11);
                using var engine = TestingEngine.Create(config, race.Test);
                engine.Run();
                clean.Add(engine.TestReport.NumOfFoundBugs == 0 ? $"{s.Name} clean" : $"{s.Name} FOUND {engine.TestReport.BugReports.First()}");
            }
        }
        finally
        {
            Console.SetOut(stdout);
        }
        Report.Info("explorer_vs_coyote_control", $"the same Coyote race with the freer holding mmap_read_lock across the free, {iterations} iterations each: {string.Join(", ", clean)}");
    }

    /// <summary>
    /// Schedules per second on the same program: PtGuard's complete executions per second of the whole exhaustive
    /// exploration (past the violation, repeated), and Coyote's test iterations per second run to completion.
    /// </summary>
    private static void SchedulesPerSecond(Scenario scenario, bool quick)
    {
        var budget = TimeSpan.FromSeconds(quick ? 3 : 10);
        long executions = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < budget)
        {
            executions += Explorer.Explore(scenario.Build(), new ExploreOptions { Model = MemoryModel.Sc, ContinueAfterViolation = true }).Executions;
        }
        var ours = executions / sw.Elapsed.TotalSeconds;

        var race = new CoyoteRace(scenario.Build());
        var iterations = (uint)(quick ? 300 : 1000);
        var config = Quiet(Configuration.Create()).WithRandomStrategy().WithTestingIterations(iterations).WithTestIterationsRunToCompletion().WithRandomGeneratorSeed(7);
        var stdout = Console.Out;
        Console.SetOut(TextWriter.Null);
        sw.Restart();
        using (var engine = TestingEngine.Create(config, race.Test))
        {
            engine.Run();
        }
        sw.Stop();
        Console.SetOut(stdout);
        var theirs = iterations / sw.Elapsed.TotalSeconds;
        Report.Info("explorer_schedules_per_second",
            $"PtGuard {ours:N0} executions/s (prepatch sc, whole exploration repeated for {budget.TotalSeconds:0} s); Coyote {theirs:N0} iterations/s (prepatch race, random, {iterations} iterations run to completion)");
    }

    private static TimeSpan PtGuardFind(Scenario scenario, Strategy strategy, int seed)
    {
        var sw = Stopwatch.StartNew();
        var r = Explorer.Explore(scenario.Build(), new ExploreOptions { Model = MemoryModel.Sc, Strategy = strategy, Seed = seed });
        sw.Stop();
        if (r.Violation?.Kind != "UseAfterFree") throw new InvalidOperationException($"PtGuard ({strategy}) did not find the prepatch use-after-free: {r.Verdict}");
        return sw.Elapsed;
    }

    private static (bool Found, TimeSpan Time, int Iterations) CoyoteFind(Scenario scenario, Func<Configuration, Configuration> strategy, uint seed)
    {
        var quiet = Console.Out;
        Console.SetOut(TextWriter.Null); // Coyote's engine prints its progress whatever the verbosity
        try
        {
            return CoyoteRun(scenario, strategy, seed);
        }
        finally
        {
            Console.SetOut(quiet);
        }
    }

    private static (bool Found, TimeSpan Time, int Iterations) CoyoteRun(Scenario scenario, Func<Configuration, Configuration> strategy, uint seed)
    {
        var sw = Stopwatch.StartNew();
        var race = new CoyoteRace(scenario.Build());
        var config = strategy(Quiet(Configuration.Create())).WithTestingIterations(CoyoteIterationBudget).WithRandomGeneratorSeed(seed)
            .WithTestingTimeout(60);
        using var engine = TestingEngine.Create(config, race.Test);
        engine.Run();
        sw.Stop();
        var report = engine.TestReport;
        var found = report.NumOfFoundBugs > 0 && report.BugReports.Any(b => b.Contains("use-after-free", StringComparison.Ordinal));
        return (found, sw.Elapsed, report.NumOfExploredFairPaths + report.NumOfExploredUnfairPaths);
    }

    private static Configuration Quiet(Configuration c) =>
        c.WithVerbosityEnabled(VerbosityLevel.None).WithConsoleLoggingEnabled(false).WithTelemetryEnabled(false);

    private static string FormatMs(double ms) => double.IsPositiveInfinity(ms) ? "not found" : Report.Ms(TimeSpan.FromMilliseconds(ms));
}
