using System.Numerics;

namespace PtGuard.Runtime.Memory;

/// <summary>
/// An immutable set of event indices within one thread: the reads a value was computed from. Address, data
/// and control dependencies are all recorded as such sets, so a value that passes through arithmetic keeps
/// the reads it came from without the caller saying so.
/// </summary>
public readonly struct DepSet : IEquatable<DepSet>
{
    private readonly ulong[]? _words;

    private DepSet(ulong[] words) => _words = words;

    /// <summary>The empty set.</summary>
    public static DepSet Empty => default;

    /// <summary>True when the set holds no event.</summary>
    public bool IsEmpty => _words is null;

    /// <summary>The set holding only event <paramref name="index"/>.</summary>
    public static DepSet Of(int index)
    {
        var words = new ulong[(index >> 6) + 1];
        words[index >> 6] = 1UL << (index & 63);
        return new DepSet(words);
    }

    /// <summary>Whether <paramref name="index"/> is in the set.</summary>
    public bool Contains(int index)
    {
        var w = index >> 6;
        return _words is not null && w < _words.Length && (_words[w] & (1UL << (index & 63))) != 0;
    }

    /// <summary>The union of two sets; shares storage when one side adds nothing.</summary>
    public DepSet Union(DepSet other)
    {
        if (other._words is null || ReferenceEquals(_words, other._words)) return this;
        if (_words is null) return other;
        var (big, small) = _words.Length >= other._words.Length ? (_words, other._words) : (other._words, _words);
        var subset = true;
        for (var i = 0; i < small.Length; i++)
        {
            if ((small[i] & ~big[i]) != 0) { subset = false; break; }
        }
        if (subset) return new DepSet(big);
        var words = (ulong[])big.Clone();
        for (var i = 0; i < small.Length; i++) words[i] |= small[i];
        return new DepSet(words);
    }

    /// <summary>The members below <paramref name="limit"/>; used when a thread is cut back by a revisit.</summary>
    public DepSet Below(int limit)
    {
        if (_words is null) return this;
        var max = Max();
        if (max < limit) return this;
        var result = default(DepSet);
        foreach (var i in this)
        {
            if (i < limit) result = result.Union(Of(i));
        }
        return result;
    }

    /// <summary>The largest member, or -1.</summary>
    public int Max()
    {
        if (_words is null) return -1;
        for (var w = _words.Length - 1; w >= 0; w--)
        {
            if (_words[w] != 0) return (w << 6) + 63 - BitOperations.LeadingZeroCount(_words[w]);
        }
        return -1;
    }

    /// <summary>Enumerates members in increasing order.</summary>
    public Enumerator GetEnumerator() => new(_words);

    /// <summary>Copies the members, shifted by <paramref name="offset"/>, into a global bitset.</summary>
    internal void OrInto(ulong[] target, int offset)
    {
        if (_words is null) return;
        for (var w = 0; w < _words.Length; w++)
        {
            var bits = _words[w];
            while (bits != 0)
            {
                var b = BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                var g = offset + (w << 6) + b;
                target[g >> 6] |= 1UL << (g & 63);
            }
        }
    }

    /// <inheritdoc/>
    public bool Equals(DepSet other)
    {
        if (ReferenceEquals(_words, other._words)) return true;
        var a = _words ?? Array.Empty<ulong>();
        var b = other._words ?? Array.Empty<ulong>();
        var n = Math.Max(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            if ((i < a.Length ? a[i] : 0) != (i < b.Length ? b[i] : 0)) return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DepSet d && Equals(d);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = 17;
        foreach (var i in this) h = h * 31 + i;
        return h;
    }

    /// <inheritdoc/>
    public override string ToString() => "{" + string.Join(",", ToList()) + "}";

    private List<int> ToList()
    {
        var list = new List<int>();
        foreach (var i in this) list.Add(i);
        return list;
    }

    /// <summary>Enumerator over members.</summary>
    public struct Enumerator
    {
        private readonly ulong[]? _words;
        private int _word;
        private ulong _bits;

        internal Enumerator(ulong[]? words)
        {
            _words = words;
            _word = -1;
            _bits = 0;
            Current = -1;
        }

        /// <summary>The current member.</summary>
        public int Current { get; private set; }

        /// <summary>Advances to the next member.</summary>
        public bool MoveNext()
        {
            if (_words is null) return false;
            while (_bits == 0)
            {
                if (++_word >= _words.Length) return false;
                _bits = _words[_word];
            }
            var b = BitOperations.TrailingZeroCount(_bits);
            _bits &= _bits - 1;
            Current = (_word << 6) + b;
            return true;
        }
    }
}
