namespace PtGuard.Runtime.Memory;

/// <summary>A complete execution as the explorer found it: final memory, what each CPU reported, and its witness.</summary>
public sealed class Execution
{
    private readonly Run _run;
    private readonly ExecutionGraph _graph;

    internal Execution(Run run, ExecutionGraph graph)
    {
        _run = run;
        _graph = graph;
    }

    /// <summary>Number of CPUs.</summary>
    public int CpuCount => _graph.ThreadCount;

    /// <summary>The value of a word at the end: its coherence-last write, or its initial value.</summary>
    public ulong FinalValue(ulong address) => _graph.FinalValue(address);

    /// <summary>The named values CPU <paramref name="cpu"/> reported (litmus registers).</summary>
    public IReadOnlyDictionary<string, ulong> Reports(int cpu) =>
        _graph.Reports(cpu) ?? new Dictionary<string, ulong>();

    /// <summary>The execution as a replayable, printable witness.</summary>
    public Witness ToWitness(Violation? violation = null) => WitnessBuilder.From(_run.Program, _run.Model, _graph, violation);
}
