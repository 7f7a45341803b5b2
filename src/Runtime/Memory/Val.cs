using System.Globalization;

namespace PtGuard.Runtime.Memory;

/// <summary>
/// A 64-bit value in a virtual CPU's register, carrying the reads it was computed from. Using a
/// <see cref="Val"/> as an address or as stored data records an address or data dependency; looking at its
/// bits with <see cref="Observe"/> (or any predicate built on it) records a control dependency, because
/// code that inspects a loaded value is about to branch on it.
/// </summary>
public readonly struct Val : IEquatable<Val>
{
    internal Val(ulong bits, DepSet deps)
    {
        Bits = bits;
        Deps = deps;
    }

    /// <summary>A constant with no dependencies.</summary>
    public Val(ulong bits)
    {
        Bits = bits;
        Deps = DepSet.Empty;
    }

    /// <summary>The raw bits, without recording a dependency (for display and for the engine itself).</summary>
    internal ulong Bits { get; }

    /// <summary>The reads (indices in the current thread) this value depends on.</summary>
    public DepSet Deps { get; }

    /// <summary>Reads the bits and records a control dependency on them for every later event of this CPU.</summary>
    public ulong Observe()
    {
        Cpu.Current?.AddControlDependency(Deps);
        return Bits;
    }

    /// <summary>Whether the value equals <paramref name="other"/>; records a control dependency.</summary>
    public bool Is(ulong other) => Observe() == other;

    /// <summary>Whether the value is zero; records a control dependency.</summary>
    public bool IsZero => Observe() == 0;

    /// <summary>Whether all bits of <paramref name="mask"/> are set; records a control dependency.</summary>
    public bool HasAll(ulong mask) => (Observe() & mask) == mask;

    /// <summary>Whether any bit of <paramref name="mask"/> is set; records a control dependency.</summary>
    public bool HasAny(ulong mask) => (Observe() & mask) != 0;

    /// <summary>The same bits with the dependencies of <paramref name="other"/> added (a false dependency, as <c>EOR x,y,y</c> makes).</summary>
    public Val DependingOn(Val other) => new(Bits, Deps.Union(other.Deps));

    /// <summary>Constant conversion.</summary>
    public static implicit operator Val(ulong bits) => new(bits);

    /// <summary>Reads the bits, recording a control dependency.</summary>
    public static explicit operator ulong(Val v) => v.Observe();

#pragma warning disable CS1591 // Arithmetic keeps both operands' dependencies; the operators need no separate docs.
    public static Val operator +(Val a, Val b) => new(unchecked(a.Bits + b.Bits), a.Deps.Union(b.Deps));
    public static Val operator -(Val a, Val b) => new(unchecked(a.Bits - b.Bits), a.Deps.Union(b.Deps));
    public static Val operator *(Val a, Val b) => new(unchecked(a.Bits * b.Bits), a.Deps.Union(b.Deps));
    public static Val operator &(Val a, Val b) => new(a.Bits & b.Bits, a.Deps.Union(b.Deps));
    public static Val operator |(Val a, Val b) => new(a.Bits | b.Bits, a.Deps.Union(b.Deps));
    public static Val operator ^(Val a, Val b) => new(a.Bits ^ b.Bits, a.Deps.Union(b.Deps));
    public static Val operator ~(Val a) => new(~a.Bits, a.Deps);
    public static Val operator <<(Val a, int n) => new(a.Bits << n, a.Deps);
    public static Val operator >>(Val a, int n) => new(a.Bits >> n, a.Deps);
#pragma warning restore CS1591

    /// <inheritdoc/>
    public bool Equals(Val other) => Bits == other.Bits && Deps.Equals(other.Deps);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Val v && Equals(v);

    /// <inheritdoc/>
    public override int GetHashCode() => Bits.GetHashCode();

    /// <summary>Hexadecimal bits, for display; records nothing.</summary>
    public override string ToString() => "0x" + Bits.ToString("x", CultureInfo.InvariantCulture);
}
