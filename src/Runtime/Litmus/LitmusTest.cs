namespace PtGuard.Runtime.Litmus;

/// <summary>A parsed herd7 AArch64 litmus test, ready to run on the engine.</summary>
public sealed class LitmusTest
{
    internal LitmusTest(string file, string name, IReadOnlyList<string> variants, LitmusLayout layout,
        IReadOnlyList<LitmusThread> threads, LitmusCondition condition, LitmusProp? filter, IReadOnlyList<LitmusLoc> locations)
    {
        File = file;
        Name = name;
        Variants = variants;
        Layout = layout;
        Threads = threads;
        Condition = condition;
        Filter = filter;
        Locations = locations;
    }

    /// <summary>The file it was read from.</summary>
    public string File { get; }

    /// <summary>The name from the header line (<c>AArch64 NAME</c>).</summary>
    public string Name { get; }

    /// <summary>The <c>Variant=</c> options (only <c>Ifetch</c> is supported).</summary>
    public IReadOnlyList<string> Variants { get; }

    /// <summary>The final condition.</summary>
    public LitmusCondition Condition { get; }

    /// <summary>Number of threads.</summary>
    public int ThreadCount => Threads.Count;

    internal LitmusLayout Layout { get; }

    internal IReadOnlyList<LitmusThread> Threads { get; }

    internal LitmusProp? Filter { get; }

    internal IReadOnlyList<LitmusLoc> Locations { get; }

    /// <summary>Whether some thread has an LDXR/STXR pair (each STXR may succeed or fail).</summary>
    public bool HasExclusives => Threads.Any(t => t.ExclusivePairs.Count > 0);

    /// <summary>Whether the test patches instructions (<c>Variant=Ifetch</c>).</summary>
    public bool Ifetch => Variants.Contains("Ifetch", StringComparer.OrdinalIgnoreCase);
}

/// <summary>How the condition is quantified.</summary>
public enum LitmusQuantifier
{
    /// <summary><c>exists P</c>.</summary>
    Exists,

    /// <summary><c>~exists P</c>.</summary>
    NotExists,

    /// <summary><c>forall P</c>.</summary>
    Forall,
}

/// <summary>The final condition: a quantifier and its body.</summary>
public sealed class LitmusCondition
{
    internal LitmusCondition(LitmusQuantifier quantifier, LitmusProp body, string text)
    {
        Quantifier = quantifier;
        Body = body;
        Text = text;
    }

    /// <summary>exists, ~exists or forall.</summary>
    public LitmusQuantifier Quantifier { get; }

    /// <summary>The condition as written (comments removed).</summary>
    public string Text { get; }

    internal LitmusProp Body { get; }
}

/// <summary>Where every location and patchable instruction lives in emulated memory, and each thread's initial registers.</summary>
internal sealed class LitmusLayout
{
    public const ulong Base = 0x1000;
    public const ulong Stride = 0x100;

    public Dictionary<string, ulong> Addresses { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ulong> InitialValues { get; } = new(StringComparer.Ordinal);
    public List<Dictionary<int, ulong>> Registers { get; } = new();

    /// <summary>Instruction encodings (values that may sit in instruction memory) and their decoded instructions.</summary>
    public Dictionary<ulong, Instruction> Encodings { get; } = new();

    /// <summary>Patchable instruction sites: thread and instruction index → address of the site.</summary>
    public Dictionary<(int Thread, int Index), ulong> PatchSites { get; } = new();

    public ulong AddressOf(string name)
    {
        if (!Addresses.TryGetValue(name, out var a))
        {
            a = Base + Stride * (ulong)Addresses.Count;
            Addresses[name] = a;
        }
        return a;
    }

    public string? NameOf(ulong address) => Addresses.FirstOrDefault(kv => kv.Value == address).Key;

    public bool IsKnownAddress(ulong address) => Addresses.ContainsValue(address);
}

/// <summary>One thread's code: instructions in order and where each label points.</summary>
internal sealed class LitmusThread
{
    public LitmusThread(int id)
    {
        Id = id;
    }

    public int Id { get; }
    public List<Instruction> Code { get; } = new();
    public Dictionary<string, int> Labels { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, int> LabelLines { get; } = new(StringComparer.Ordinal);

    /// <summary>Exclusive pairs: index of an LDXR → index of the STXR that completes it (only register instructions between).</summary>
    public Dictionary<int, int> ExclusivePairs { get; } = new();
}

/// <summary>A location a condition speaks of: a register of a thread, or a memory word.</summary>
internal readonly record struct LitmusLoc(int Thread, int Register, string? Memory)
{
    public bool IsRegister => Memory is null;

    public string Key => IsRegister ? $"{Thread}:X{Register}" : Memory!;

    public override string ToString() => IsRegister ? $"{Thread}:X{Register}" : $"[{Memory}]";
}

/// <summary>A proposition over the final state.</summary>
internal abstract record LitmusProp
{
    public abstract bool Eval(Func<LitmusLoc, ulong> value);

    public abstract IEnumerable<LitmusLoc> Locs();
}

internal sealed record PropTrue(bool Value) : LitmusProp
{
    public override bool Eval(Func<LitmusLoc, ulong> value) => Value;

    public override IEnumerable<LitmusLoc> Locs() => Array.Empty<LitmusLoc>();
}

internal sealed record PropNot(LitmusProp Inner) : LitmusProp
{
    public override bool Eval(Func<LitmusLoc, ulong> value) => !Inner.Eval(value);

    public override IEnumerable<LitmusLoc> Locs() => Inner.Locs();
}

internal sealed record PropAnd(LitmusProp Left, LitmusProp Right) : LitmusProp
{
    public override bool Eval(Func<LitmusLoc, ulong> value) => Left.Eval(value) && Right.Eval(value);

    public override IEnumerable<LitmusLoc> Locs() => Left.Locs().Concat(Right.Locs());
}

internal sealed record PropOr(LitmusProp Left, LitmusProp Right) : LitmusProp
{
    public override bool Eval(Func<LitmusLoc, ulong> value) => Left.Eval(value) || Right.Eval(value);

    public override IEnumerable<LitmusLoc> Locs() => Left.Locs().Concat(Right.Locs());
}

/// <summary><c>loc = v</c>; a negative literal also matches its 32-bit two's complement (a W register).</summary>
internal sealed record PropEq(LitmusLoc Loc, ulong Value, ulong? Alt, bool Negated) : LitmusProp
{
    public override bool Eval(Func<LitmusLoc, ulong> value)
    {
        var v = value(Loc);
        var eq = v == Value || (Alt is { } a && v == a);
        return eq != Negated;
    }

    public override IEnumerable<LitmusLoc> Locs() => new[] { Loc };
}
