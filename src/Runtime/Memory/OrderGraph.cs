using System.Numerics;

namespace PtGuard.Runtime.Memory;

/// <summary>
/// A relation over the events of one execution graph, stored as predecessor bitsets, with a cycle test.
/// Events are numbered globally: thread bases followed by program-order indices.
/// </summary>
internal sealed class OrderGraph
{
    private readonly int _words;
    private readonly ulong[] _preds;
    private readonly int[] _base;

    public OrderGraph(ExecutionGraph g)
    {
        _base = new int[g.ThreadCount + 1];
        for (var t = 0; t < g.ThreadCount; t++) _base[t + 1] = _base[t] + g.Length(t);
        Count = _base[g.ThreadCount];
        _words = Math.Max(1, (Count + 63) >> 6);
        _preds = new ulong[Count * _words];
    }

    public int Count { get; }

    public int Global(int thread, int index) => _base[thread] + index;

    public int Global(int id) => _base[ExecutionGraph.ThreadOf(id)] + ExecutionGraph.IndexOf(id);

    public int Base(int thread) => _base[thread];

    /// <summary>Records that <paramref name="from"/> is ordered before <paramref name="to"/> (global numbers).</summary>
    public void Add(int from, int to)
    {
        _preds[to * _words + (from >> 6)] |= 1UL << (from & 63);
    }

    /// <summary>Records every member of <paramref name="preds"/> (thread-local indices) as ordered before <paramref name="to"/>.</summary>
    public void AddAll(DepSet preds, int thread, int to)
    {
        if (preds.IsEmpty) return;
        // Rows are contiguous words, so a bit offset of row start plus thread base addresses the row directly.
        preds.OrInto(_preds, (to * _words << 6) + _base[thread]);
    }

    /// <summary>Whether the relation has a cycle (including a self-loop).</summary>
    public bool HasCycle()
    {
        var gray = new ulong[_words];
        var black = new ulong[_words];
        var stack = new Stack<(int Node, int Word, ulong Pending)>();
        for (var root = 0; root < Count; root++)
        {
            if (IsSet(black, root)) continue;
            if (Enter(root, gray, stack)) return true;
            while (stack.Count > 0)
            {
                var (node, word, pending) = stack.Pop();
                var advanced = false;
                while (true)
                {
                    while (pending == 0)
                    {
                        if (++word >= _words) break;
                        pending = _preds[node * _words + word] & ~black[word];
                    }
                    if (word >= _words) break;
                    var b = BitOperations.TrailingZeroCount(pending);
                    pending &= pending - 1;
                    var next = (word << 6) + b;
                    if (IsSet(black, next)) continue;
                    stack.Push((node, word, pending));
                    if (Enter(next, gray, stack)) return true;
                    advanced = true;
                    break;
                }
                if (!advanced)
                {
                    gray[node >> 6] &= ~(1UL << (node & 63));
                    black[node >> 6] |= 1UL << (node & 63);
                }
            }
        }
        return false;

        bool Enter(int node, ulong[] grayNow, Stack<(int, int, ulong)> s)
        {
            // A predecessor already on the current path closes a cycle.
            for (var w = 0; w < _words; w++)
            {
                if ((_preds[node * _words + w] & grayNow[w]) != 0) return true;
            }
            if ((_preds[node * _words + (node >> 6)] & (1UL << (node & 63))) != 0) return true;
            grayNow[node >> 6] |= 1UL << (node & 63);
            s.Push((node, -1, 0));
            return false;
        }
    }

    private static bool IsSet(ulong[] bits, int i) => (bits[i >> 6] & (1UL << (i & 63))) != 0;
}
