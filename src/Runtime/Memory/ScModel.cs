namespace PtGuard.Runtime.Memory;

/// <summary>Sequential consistency: <c>acyclic(po | rf | co | fr)</c>, plus atomicity and the TLBI rule.</summary>
internal sealed class ScModel : ConsistencyModel
{
    public static readonly ScModel Instance = new();

    public override MemoryModel Model => MemoryModel.Sc;

    protected override bool IsOrdered(ExecutionGraph g)
    {
        var o = new OrderGraph(g);
        for (var t = 0; t < g.ThreadCount; t++)
        {
            for (var i = 1; i < g.Length(t); i++) o.Add(o.Global(t, i - 1), o.Global(t, i));
        }
        AddCommunication(g, o, externalOnly: false, immediateOnly: true);
        AddTlbiCompletion(g, o, sequential: true);
        return !o.HasCycle();
    }
}
