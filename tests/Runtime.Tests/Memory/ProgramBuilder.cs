using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Memory;

/// <summary>Small helper to write two- to four-thread shapes against the CPU API and collect their outcomes.</summary>
internal sealed class Shape
{
    public const ulong X = 0x1000, Y = 0x1008, Z = 0x1010;

    private readonly List<Action> _threads = new();
    public InitialMemory Memory { get; } = new();

    public Shape()
    {
        Memory.Name(X, "x");
        Memory.Name(Y, "y");
        Memory.Name(Z, "z");
    }

    public Shape Thread(Action<Cpu> body)
    {
        _threads.Add(() => body(Cpu.Current!));
        return this;
    }

    public ConcurrentProgram Build(string name = "shape") => new(name, Memory, _threads);

    /// <summary>Every distinct outcome (reported registers, "c:name=v" joined) over all executions.</summary>
    public (HashSet<string> Outcomes, ExploreResult Result) Outcomes(MemoryModel model, bool lb = true)
    {
        var seen = new HashSet<string>();
        var result = Explorer.Explore(Build(), new ExploreOptions { Model = model, LoadBuffering = lb, ContinueAfterViolation = true }, ex =>
        {
            var parts = new List<string>();
            for (var c = 0; c < ex.CpuCount; c++)
            {
                foreach (var (k, v) in ex.Reports(c).OrderBy(kv => kv.Key)) parts.Add($"{c}:{k}={v}");
            }
            seen.Add(string.Join(" ", parts));
        });
        return (seen, result);
    }
}
