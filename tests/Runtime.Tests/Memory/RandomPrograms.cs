using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Tests.Memory;

/// <summary>
/// Random straight-line programs over two or three locations: loads (plain, acquire, acquirePC), stores (plain,
/// release), swaps, every barrier, and false address/data/control dependencies on earlier loads — so the events
/// never depend on the values read, but the ordering rules that dependencies trigger are all exercised.
/// </summary>
internal static class RandomPrograms
{
    private static readonly ulong[] Locations = { Shape.X, Shape.Y, Shape.Z };

    public static (ConcurrentProgram Program, string Text) Generate(int seed, int maxThreads = 3, int maxOps = 4, int locations = 2)
    {
        var rnd = new Random(seed);
        var threads = rnd.Next(2, maxThreads + 1);
        var memory = new InitialMemory();
        var scripts = new List<List<Op>>();
        var nextValue = 1UL;
        for (var t = 0; t < threads; t++)
        {
            var ops = new List<Op>();
            var n = rnd.Next(1, maxOps + 1);
            for (var k = 0; k < n; k++)
            {
                var loc = Locations[rnd.Next(locations)];
                var kind = rnd.Next(10);
                var dep = ops.Count(o => o.Kind == OpKind.Load) > 0 && rnd.Next(3) == 0 ? rnd.Next(3) : -1;
                ops.Add(kind switch
                {
                    <= 2 => new Op(OpKind.Load, loc, 0, (LoadKind)rnd.Next(3), StoreKind.Plain, default, dep),
                    <= 5 => new Op(OpKind.Store, loc, nextValue++, LoadKind.Plain, rnd.Next(3) == 0 ? StoreKind.Release : StoreKind.Plain, default, dep),
                    6 => new Op(OpKind.Swap, loc, nextValue++, LoadKind.Plain, StoreKind.Plain, default, dep, (RmwOrder)rnd.Next(4)),
                    _ => new Op(OpKind.Fence, 0, 0, LoadKind.Plain, StoreKind.Plain, (BarrierKind)rnd.Next(7), -1),
                });
            }
            scripts.Add(ops);
        }
        var actions = scripts.Select(ops => (Action)(() => Run(Cpu.Current!, ops))).ToArray();
        var text = string.Join(" || ", scripts.Select(ops => string.Join("; ", ops)));
        return (new ConcurrentProgram($"random-{seed}", memory, actions), text);
    }

    private static void Run(Cpu cpu, List<Op> ops)
    {
        var loaded = new List<Val>();
        var r = 0;
        foreach (var op in ops)
        {
            // A false dependency: (v ^ v) is zero but depends on the last load.
            var zero = op.Dep >= 0 && loaded.Count > 0 ? loaded[^1] ^ loaded[^1] : new Val(0);
            var addr = op.Dep == 0 ? zero + op.Address : new Val(op.Address);
            if (op.Dep == 2) cpu.AddControlDependency(zero.Deps);
            switch (op.Kind)
            {
                case OpKind.Load:
                    var v = cpu.Load(addr, op.Load);
                    loaded.Add(v);
                    cpu.Report($"r{r++}", v.Bits);
                    break;
                case OpKind.Store:
                    cpu.Store(addr, op.Dep == 1 ? zero + op.Value : op.Value, op.Store);
                    break;
                case OpKind.Swap:
                    var old = cpu.Rmw(addr, x => op.Dep == 1 ? zero + op.Value : new Val(op.Value), op.Order);
                    loaded.Add(old);
                    cpu.Report($"r{r++}", old.Bits);
                    break;
                default:
                    cpu.Fence(op.Barrier);
                    break;
            }
        }
    }

    private enum OpKind { Load, Store, Swap, Fence }

    private sealed record Op(OpKind Kind, ulong Address, ulong Value, LoadKind Load, StoreKind Store, BarrierKind Barrier, int Dep, RmwOrder Order = RmwOrder.Relaxed)
    {
        public override string ToString()
        {
            var loc = Address == Shape.X ? "x" : Address == Shape.Y ? "y" : "z";
            var dep = Dep switch { 0 => "[addr]", 1 => "[data]", 2 => "[ctrl]", _ => "" };
            return Kind switch
            {
                OpKind.Load => $"{(Load == LoadKind.Plain ? "LDR" : Load == LoadKind.Acquire ? "LDAR" : "LDAPR")} {loc}{dep}",
                OpKind.Store => $"{(Store == StoreKind.Release ? "STLR" : "STR")} {loc}={Value}{dep}",
                OpKind.Swap => $"SWP{Order} {loc}={Value}{dep}",
                _ => Barrier.ToString(),
            };
        }
    }
}
