namespace PtGuard.Runtime.Memory;

/// <summary>
/// What the explorer runs: an initial memory image and one method per virtual CPU, plus an optional check
/// of every complete execution. Thread methods are called again for every execution visited and must be
/// deterministic given the values their loads return.
/// </summary>
public sealed class ConcurrentProgram
{
    /// <summary>Creates a program.</summary>
    public ConcurrentProgram(string name, InitialMemory memory, IReadOnlyList<Action> threads)
    {
        ArgumentNullException.ThrowIfNull(threads);
        if (threads.Count == 0) throw new PtGuardException($"program '{name}': a program needs at least one thread.");
        Name = name;
        Memory = memory;
        Threads = threads;
    }

    /// <summary>Name shown in results and witnesses.</summary>
    public string Name { get; }

    /// <summary>Memory before any thread runs.</summary>
    public InitialMemory Memory { get; }

    /// <summary>One entry point per virtual CPU.</summary>
    public IReadOnlyList<Action> Threads { get; }

    /// <summary>The model the threads run against (the kernel layer puts its machine here).</summary>
    public object? Context { get; init; }

    /// <summary>Display names of the CPUs ("freer", "ptdump"); defaults to "CPU n".</summary>
    public IReadOnlyList<string>? CpuNames { get; init; }

    /// <summary>Checks a complete execution; returns a violation or null.</summary>
    public Func<Execution, Violation?>? FinalCheck { get; init; }

    /// <summary>Explains a deadlock from the blocked CPUs' waits (the kernel layer names the lock and its holders).</summary>
    public Func<Execution, IReadOnlyList<int>, string>? DescribeDeadlock { get; init; }

    /// <summary>The display name of CPU <paramref name="cpu"/>.</summary>
    public string CpuName(int cpu) => CpuNames is not null && cpu < CpuNames.Count ? CpuNames[cpu] : $"CPU {cpu}";
}
