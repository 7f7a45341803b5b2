namespace PtGuard.Runtime.Memory;

/// <summary>Runs a <see cref="ConcurrentProgram"/> over the executions a memory model allows.</summary>
public static class Explorer
{
    /// <summary>
    /// Explores <paramref name="program"/> with <paramref name="options"/>. <paramref name="onExecution"/> sees every
    /// complete execution (litmus tests evaluate their condition there).
    /// </summary>
    public static ExploreResult Explore(ConcurrentProgram program, ExploreOptions options, Action<Execution>? onExecution = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(options);
        var run = new Run(program, options) { OnExecution = onExecution };
        if (options.Strategy == Strategy.Replay)
        {
            var witness = options.ReplayWitness ?? throw new PtGuardException("replay: no witness given.");
            var graph = WitnessBuilder.ToGraph(witness, program, options.Model);
            if (!run.Checker.IsConsistent(graph))
            {
                throw new PtGuardException($"replay: the witness is not an execution the {witness.Model} model allows for '{program.Name}'.");
            }
            run.ReplayGraph(graph);
        }
        else
        {
            run.ExploreAll();
        }
        // Only a complete exhaustive exploration can say safe: samples and replays that find nothing are inconclusive.
        var stoppedBy = run.StoppedBy ?? options.Strategy switch
        {
            Strategy.Random => $"the random strategy ({run.Executions} executions sampled, seed {options.Seed}); only an exhaustive run can say safe",
            Strategy.Replay => "a replay (one execution); only an exhaustive run can say safe",
            _ => null,
        };
        var verdict = run.Found is not null ? Verdict.Violation : stoppedBy is not null ? Verdict.Inconclusive : Verdict.Safe;
        return new ExploreResult
        {
            Verdict = verdict,
            Violation = run.Found,
            Witness = run.WitnessGraph is null ? null : WitnessBuilder.From(program, options.Model, run.WitnessGraph, run.Found),
            Executions = run.Executions,
            Distinct = run.Distinct,
            Blocked = run.Blocked,
            Events = run.Events,
            Elapsed = run.Elapsed,
            StoppedBy = verdict == Verdict.Inconclusive ? stoppedBy : null,
        };
    }
}
