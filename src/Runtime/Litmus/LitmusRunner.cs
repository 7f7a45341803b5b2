using System.Diagnostics;
using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Litmus;

/// <summary>What running one litmus test gave.</summary>
public sealed record LitmusResult
{
    /// <summary>The test.</summary>
    public required LitmusTest Test { get; init; }

    /// <summary>The memory model it ran under.</summary>
    public required MemoryModel Model { get; init; }

    /// <summary>Whether some execution satisfies the condition's body (for <c>~exists</c> and <c>forall</c> too, as herd7's kinds say).</summary>
    public required bool Allowed { get; init; }

    /// <summary>Complete executions explored.</summary>
    public required long Executions { get; init; }

    /// <summary>Distinct executions among them.</summary>
    public required long Distinct { get; init; }

    /// <summary>Executions (after the filter) that satisfy the body.</summary>
    public required long Matching { get; init; }

    /// <summary>One execution that satisfies the body, when there is one.</summary>
    public Witness? Witness { get; init; }

    /// <summary>Why exploration stopped early (a bound), or null when it was complete.</summary>
    public string? StoppedBy { get; init; }

    /// <summary>Wall-clock time.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>"Allowed" or "Forbidden".</summary>
    public string Verdict => Allowed ? "Allowed" : "Forbidden";
}

/// <summary>Runs parsed litmus tests on the engine.</summary>
public static class LitmusRunner
{
    /// <summary>herd7's default loop unrolling: a backward branch taken more often drops the execution.</summary>
    public const int DefaultUnroll = 2;

    /// <summary>The options a litmus run uses by default: exhaustive, load buffering on, every execution visited.</summary>
    public static ExploreOptions DefaultOptions(MemoryModel model) => new()
    {
        Model = model,
        Strategy = Strategy.Exhaustive,
        LoadBuffering = model == MemoryModel.Arm64,
        ContinueAfterViolation = true,
    };

    /// <summary>Parses and runs the file at <paramref name="path"/> exhaustively.</summary>
    public static LitmusResult RunFile(string path, MemoryModel model) => Run(LitmusParser.ParseFile(path), DefaultOptions(model));

    /// <summary>Runs <paramref name="test"/> exhaustively under <paramref name="model"/>.</summary>
    public static LitmusResult Run(LitmusTest test, MemoryModel model) => Run(test, DefaultOptions(model));

    /// <summary>Runs <paramref name="test"/> with <paramref name="options"/> (random and replay strategies too).</summary>
    /// <remarks>
    /// With LDXR/STXR pairs the exhaustive strategy explores once per set of failing STXR instances (starting with
    /// none, then adding each instance the previous runs reached), and sums the counts; the random and replay
    /// strategies use the run in which every STXR succeeds.
    /// </remarks>
    public static LitmusResult Run(LitmusTest test, ExploreOptions options)
    {
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        var clock = Stopwatch.StartNew();
        Witness? witness = null;
        long matching = 0, executions = 0, distinct = 0;
        string? stoppedBy = null;
        var pending = new Queue<ExclusiveChoices>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        pending.Enqueue(new ExclusiveChoices(Array.Empty<(int, int, int)>()));
        while (pending.Count > 0)
        {
            var choices = pending.Dequeue();
            if (!seen.Add(choices.Key)) continue;
            var result = Explorer.Explore(ToProgram(test, DefaultUnroll, choices), options, ex =>
            {
                if (test.Filter is not null && !test.Filter.Eval(Values(test, ex))) return;
                if (!Satisfies(test, ex)) return;
                matching++;
                witness ??= ex.ToWitness();
            });
            // A litmus program asserts nothing: a violation means an execution could not be run, so no verdict.
            if (result.Violation is { } v) throw new LitmusException(test.File, 1, $"an execution could not be run ({v.Kind}: {v.Message})");
            executions += result.Executions;
            distinct += result.Distinct;
            stoppedBy ??= result.StoppedBy;
            if (options.Strategy != Strategy.Exhaustive || !test.HasExclusives) break;
            foreach (var key in choices.ReachedKeys.Where(k => !choices.Fails(k))) pending.Enqueue(choices.With(key));
        }
        return new LitmusResult
        {
            Test = test,
            Model = options.Model,
            Allowed = matching > 0,
            Executions = executions,
            Distinct = distinct,
            Matching = matching,
            Witness = witness,
            StoppedBy = stoppedBy,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>Whether <paramref name="execution"/> satisfies the body of the test's condition.</summary>
    public static bool Satisfies(LitmusTest test, Execution execution)
    {
        ArgumentNullException.ThrowIfNull(test);
        return test.Condition.Body.Eval(Values(test, execution));
    }

    /// <summary>The test as an explorer program: one CPU per thread ("P0", "P1", ...), each location a named word.</summary>
    public static ConcurrentProgram ToProgram(LitmusTest test, int unroll = DefaultUnroll) => ToProgram(test, unroll, new ExclusiveChoices(Array.Empty<(int, int, int)>()));

    internal static ConcurrentProgram ToProgram(LitmusTest test, int unroll, ExclusiveChoices exclusives)
    {
        ArgumentNullException.ThrowIfNull(test);
        var memory = new InitialMemory();
        foreach (var (name, address) in test.Layout.Addresses)
        {
            memory.Name(address, name);
            if (test.Layout.InitialValues.TryGetValue(name, out var v) && v != 0) memory.Write(address, v);
        }
        var observed = test.Condition.Body.Locs()
            .Concat(test.Filter?.Locs() ?? Enumerable.Empty<LitmusLoc>())
            .Concat(test.Locations)
            .Where(l => l.IsRegister).ToList();
        var threads = new List<Action>();
        for (var t = 0; t < test.ThreadCount; t++)
        {
            var thread = t;
            var report = observed.Where(l => l.Thread == thread).Select(l => l.Register).Distinct().ToArray();
            threads.Add(() => LitmusInterpreter.Run(Cpu.Current!, test, thread, report, unroll, exclusives));
        }
        return new ConcurrentProgram(test.Name, memory, threads)
        {
            CpuNames = Enumerable.Range(0, test.ThreadCount).Select(t => $"P{t}").ToArray(),
        };
    }

    private static Func<LitmusLoc, ulong> Values(LitmusTest test, Execution ex) => loc =>
        loc.IsRegister
            ? ex.Reports(loc.Thread).TryGetValue("X" + loc.Register, out var v) ? v : 0
            : ex.FinalValue(test.Layout.Addresses[loc.Memory!]);
}

/// <summary>Which dynamic STXR instances (thread, instruction index, occurrence) fail in one exploration, and which were reached.</summary>
internal sealed class ExclusiveChoices
{
    private readonly HashSet<(int Thread, int Index, int Occurrence)> _failing;
    private readonly HashSet<(int Thread, int Index, int Occurrence)> _reached = new();

    public ExclusiveChoices(IEnumerable<(int Thread, int Index, int Occurrence)> failing)
    {
        _failing = new HashSet<(int, int, int)>(failing);
        Key = string.Join(";", _failing.OrderBy(k => k).Select(k => $"{k.Thread}.{k.Index}.{k.Occurrence}"));
    }

    /// <summary>A canonical name of the failing set.</summary>
    public string Key { get; }

    public IEnumerable<(int Thread, int Index, int Occurrence)> ReachedKeys
    {
        get
        {
            lock (_reached) return _reached.OrderBy(k => k).ToArray();
        }
    }

    public bool Fails((int Thread, int Index, int Occurrence) key) => _failing.Contains(key);

    public void Reached((int Thread, int Index, int Occurrence) key)
    {
        lock (_reached) _reached.Add(key);
    }

    public ExclusiveChoices With((int Thread, int Index, int Occurrence) key) => new(_failing.Append(key));
}
