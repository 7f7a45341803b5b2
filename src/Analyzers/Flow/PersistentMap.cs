using System;
using System.Collections;
using System.Collections.Generic;

namespace PtGuard.Analyzers.Flow;

/// <summary>
/// A map with an O(1) copy whose joins and comparisons cost what differs, not what is shared: a little-endian
/// Patricia trie over the keys' hash codes (Okasaki and Gill, "Fast Mergeable Integer Maps"), whose nodes are never
/// changed once built. A flow state is copied at every block and joined at every merge point; with a dictionary that
/// is a cost in the size of the state (all variables and tables of the method) at every block, which makes a method's
/// analysis quadratic in its length. Here a copy shares the trie, a write replaces one path, and a join or an equality
/// test skips every subtree the two states still share, so the work per block is the work of the block.
/// </summary>
/// <remarks>Mutable as a whole (the indexer replaces the root), so the engine reads and writes it like a dictionary.</remarks>
internal sealed class PersistentMap<TKey, TValue> : IEnumerable<KeyValuePair<TKey, TValue>>
    where TKey : notnull
{
    private static readonly EqualityComparer<TValue> Values = EqualityComparer<TValue>.Default;
    private readonly IEqualityComparer<TKey> _keys;
    private Node? _root;

    public PersistentMap(IEqualityComparer<TKey>? keys = null)
    {
        _keys = keys ?? EqualityComparer<TKey>.Default;
    }

    private PersistentMap(IEqualityComparer<TKey> keys, Node? root)
    {
        _keys = keys;
        _root = root;
    }

    /// <summary>An independent map with the same contents, in O(1).</summary>
    public PersistentMap<TKey, TValue> Clone() => new(_keys, _root);

    public bool IsEmpty => _root is null;

    /// <summary>The number of entries (a walk of the trie).</summary>
    public int Count
    {
        get
        {
            var n = 0;
            foreach (var _ in this) n++;
            return n;
        }
    }

    public IEnumerable<TKey> Keys
    {
        get
        {
            foreach (var kv in this) yield return kv.Key;
        }
    }

    public TValue this[TKey key]
    {
        get => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException();
        set => _root = Insert(_root, Hash(key), key, value);
    }

    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    public bool TryGetValue(TKey key, out TValue value)
    {
        var h = Hash(key);
        var node = _root;
        while (node is Branch b)
        {
            if (!MatchPrefix(h, b.Prefix, b.Bit))
            {
                value = default!;
                return false;
            }
            node = (h & b.Bit) == 0 ? b.Left : b.Right;
        }
        if (node is Leaf leaf && leaf.Hash == h)
        {
            foreach (var kv in leaf.Items)
            {
                if (_keys.Equals(kv.Key, key))
                {
                    value = kv.Value;
                    return true;
                }
            }
        }
        value = default!;
        return false;
    }

    public bool Remove(TKey key)
    {
        var before = _root;
        _root = Delete(_root, Hash(key), key);
        return !ReferenceEquals(before, _root);
    }

    public void Clear() => _root = null;

    /// <summary>
    /// Every key of either map, with <paramref name="combine"/>(key, in a, a's value, in b, b's value) for each key whose
    /// values are not already shared; a key in one map only is combined with <paramref name="oneSided"/> false
    /// positions (and kept as it is, without a call, when <paramref name="oneSided"/> is null).
    /// </summary>
    public static PersistentMap<TKey, TValue> Union(PersistentMap<TKey, TValue> a, PersistentMap<TKey, TValue> b, Func<TKey, TValue, TValue, TValue> combine, Func<TKey, TValue, TValue>? oneSided = null)
    {
        var merger = new Merger(a._keys, combine, oneSided, intersect: false);
        return new(a._keys, merger.Merge(a._root, b._root));
    }

    /// <summary>The keys in both maps, with <paramref name="combine"/> for each whose values are not already shared.</summary>
    public static PersistentMap<TKey, TValue> Intersect(PersistentMap<TKey, TValue> a, PersistentMap<TKey, TValue> b, Func<TKey, TValue, TValue, TValue> combine)
    {
        var merger = new Merger(a._keys, combine, null, intersect: true);
        return new(a._keys, merger.Merge(a._root, b._root));
    }

    /// <summary>Same keys and values; shared subtrees are not compared again.</summary>
    public bool SameAs(PersistentMap<TKey, TValue> other, IEqualityComparer<TValue>? values = null) => Equal(_root, other._root, _keys, values ?? Values);

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        if (_root is null) yield break;
        var stack = new Stack<Node>();
        stack.Push(_root);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case Branch b:
                    stack.Push(b.Right);
                    stack.Push(b.Left);
                    break;
                case Leaf leaf:
                    foreach (var kv in leaf.Items) yield return kv;
                    break;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private uint Hash(TKey key) => (uint)_keys.GetHashCode(key);

    private static bool MatchPrefix(uint hash, uint prefix, uint bit) => (hash & (bit - 1)) == prefix;

    private static uint LowestBit(uint x) => x & (~x + 1);

    private static Node Link(uint p0, Node t0, uint p1, Node t1)
    {
        var bit = LowestBit(p0 ^ p1);
        var prefix = p0 & (bit - 1);
        return (p0 & bit) == 0 ? new Branch(prefix, bit, t0, t1) : new Branch(prefix, bit, t1, t0);
    }

    private static uint PrefixOf(Node n) => n is Branch b ? b.Prefix : ((Leaf)n).Hash;

    /// <summary>A branch with these children, reusing <paramref name="original"/> when nothing changed.</summary>
    private static Node? Rebuild(Branch original, Node? left, Node? right)
    {
        if (left is null) return right;
        if (right is null) return left;
        if (ReferenceEquals(left, original.Left) && ReferenceEquals(right, original.Right)) return original;
        return new Branch(original.Prefix, original.Bit, left, right);
    }

    private Node Insert(Node? node, uint h, TKey key, TValue value)
    {
        switch (node)
        {
            case null:
                return new Leaf(h, new[] { new KeyValuePair<TKey, TValue>(key, value) });
            case Leaf leaf when leaf.Hash == h:
                for (var i = 0; i < leaf.Items.Length; i++)
                {
                    if (!_keys.Equals(leaf.Items[i].Key, key)) continue;
                    if (Values.Equals(leaf.Items[i].Value, value)) return leaf; // unchanged: keep sharing
                    var items = (KeyValuePair<TKey, TValue>[])leaf.Items.Clone();
                    items[i] = new KeyValuePair<TKey, TValue>(key, value);
                    return new Leaf(h, items);
                }
                var more = new KeyValuePair<TKey, TValue>[leaf.Items.Length + 1];
                Array.Copy(leaf.Items, more, leaf.Items.Length);
                more[leaf.Items.Length] = new KeyValuePair<TKey, TValue>(key, value);
                return new Leaf(h, more);
            case Leaf leaf:
                return Link(h, new Leaf(h, new[] { new KeyValuePair<TKey, TValue>(key, value) }), leaf.Hash, leaf);
            case Branch b when MatchPrefix(h, b.Prefix, b.Bit):
                return (h & b.Bit) == 0
                    ? Rebuild(b, Insert(b.Left, h, key, value), b.Right)!
                    : Rebuild(b, b.Left, Insert(b.Right, h, key, value))!;
            default:
                return Link(h, new Leaf(h, new[] { new KeyValuePair<TKey, TValue>(key, value) }), PrefixOf(node), node);
        }
    }

    private Node? Delete(Node? node, uint h, TKey key)
    {
        switch (node)
        {
            case Leaf leaf when leaf.Hash == h:
                var index = Array.FindIndex(leaf.Items, kv => _keys.Equals(kv.Key, key));
                if (index < 0) return leaf;
                if (leaf.Items.Length == 1) return null;
                var items = new KeyValuePair<TKey, TValue>[leaf.Items.Length - 1];
                for (int i = 0, j = 0; i < leaf.Items.Length; i++)
                {
                    if (i != index) items[j++] = leaf.Items[i];
                }
                return new Leaf(h, items);
            case Branch b when MatchPrefix(h, b.Prefix, b.Bit):
                return (h & b.Bit) == 0 ? Rebuild(b, Delete(b.Left, h, key), b.Right) : Rebuild(b, b.Left, Delete(b.Right, h, key));
            default:
                return node;
        }
    }

    private static bool Equal(Node? a, Node? b, IEqualityComparer<TKey> keys, IEqualityComparer<TValue> values)
    {
        if (ReferenceEquals(a, b)) return true;
        switch (a)
        {
            case Branch x when b is Branch y:
                return x.Prefix == y.Prefix && x.Bit == y.Bit && Equal(x.Left, y.Left, keys, values) && Equal(x.Right, y.Right, keys, values);
            case Leaf x when b is Leaf y:
                if (x.Hash != y.Hash || x.Items.Length != y.Items.Length) return false;
                foreach (var kv in x.Items)
                {
                    var found = false;
                    foreach (var other in y.Items)
                    {
                        if (!keys.Equals(kv.Key, other.Key)) continue;
                        found = values.Equals(kv.Value, other.Value);
                        break;
                    }
                    if (!found) return false;
                }
                return true;
            default:
                // The trie's shape is a function of its keys: different shapes, different maps.
                return false;
        }
    }

    private abstract class Node
    {
    }

    private sealed class Leaf : Node
    {
        public Leaf(uint hash, KeyValuePair<TKey, TValue>[] items)
        {
            Hash = hash;
            Items = items;
        }

        public uint Hash { get; }

        /// <summary>The entries whose keys share this hash (nearly always one).</summary>
        public KeyValuePair<TKey, TValue>[] Items { get; }
    }

    private sealed class Branch : Node
    {
        public Branch(uint prefix, uint bit, Node left, Node right)
        {
            Prefix = prefix;
            Bit = bit;
            Left = left;
            Right = right;
        }

        /// <summary>The hash bits below <see cref="Bit"/> that every key here has.</summary>
        public uint Prefix { get; }

        /// <summary>The bit that sends a key left (0) or right (1).</summary>
        public uint Bit { get; }

        public Node Left { get; }

        public Node Right { get; }
    }

    /// <summary>One union or intersection of two tries.</summary>
    private sealed class Merger
    {
        private readonly IEqualityComparer<TKey> _keys;
        private readonly Func<TKey, TValue, TValue, TValue> _combine;
        private readonly Func<TKey, TValue, TValue>? _oneSided;
        private readonly bool _intersect;

        public Merger(IEqualityComparer<TKey> keys, Func<TKey, TValue, TValue, TValue> combine, Func<TKey, TValue, TValue>? oneSided, bool intersect)
        {
            _keys = keys;
            _combine = combine;
            _oneSided = oneSided;
            _intersect = intersect;
        }

        public Node? Merge(Node? s, Node? t)
        {
            if (ReferenceEquals(s, t)) return s;
            if (s is null) return OneSide(t);
            if (t is null) return OneSide(s);
            if (s is Leaf ls) return MergeLeaf(ls, t, leafFirst: true);
            if (t is Leaf lt) return MergeLeaf(lt, s, leafFirst: false);
            var x = (Branch)s;
            var y = (Branch)t;
            if (x.Bit == y.Bit && x.Prefix == y.Prefix) return Rebuild(x, Merge(x.Left, y.Left), Merge(x.Right, y.Right));
            if (x.Bit < y.Bit && MatchPrefix(y.Prefix, x.Prefix, x.Bit))
            {
                // y lies inside one child of x.
                return (y.Prefix & x.Bit) == 0 ? Rebuild(x, Merge(x.Left, y), OneSide(x.Right)) : Rebuild(x, OneSide(x.Left), Merge(x.Right, y));
            }
            if (y.Bit < x.Bit && MatchPrefix(x.Prefix, y.Prefix, y.Bit))
            {
                return (x.Prefix & y.Bit) == 0 ? Rebuild(y, Merge(x, y.Left), OneSide(y.Right)) : Rebuild(y, OneSide(y.Left), Merge(x, y.Right));
            }
            return Disjoint(x.Prefix, OneSide(x), y.Prefix, OneSide(y));
        }

        /// <summary>Merges a leaf (of the first map when <paramref name="leafFirst"/>) into the other map's subtree.</summary>
        private Node? MergeLeaf(Leaf leaf, Node other, bool leafFirst)
        {
            if (other is Leaf o && o.Hash == leaf.Hash) return leafFirst ? MergeItems(leaf, o) : MergeItems(o, leaf);
            if (other is Branch b && MatchPrefix(leaf.Hash, b.Prefix, b.Bit))
            {
                return (leaf.Hash & b.Bit) == 0
                    ? Rebuild(b, MergeLeaf(leaf, b.Left, leafFirst), OneSide(b.Right))
                    : Rebuild(b, OneSide(b.Left), MergeLeaf(leaf, b.Right, leafFirst));
            }
            return Disjoint(leaf.Hash, OneSide(leaf), PrefixOf(other), OneSide(other));
        }

        private Node? MergeItems(Leaf a, Leaf b)
        {
            var items = new List<KeyValuePair<TKey, TValue>>();
            var changed = false;
            foreach (var kv in a.Items)
            {
                var inB = false;
                TValue bv = default!;
                foreach (var other in b.Items)
                {
                    if (!_keys.Equals(kv.Key, other.Key)) continue;
                    inB = true;
                    bv = other.Value;
                    break;
                }
                if (inB)
                {
                    var v = Values.Equals(kv.Value, bv) ? kv.Value : _combine(kv.Key, kv.Value, bv);
                    changed |= !Values.Equals(v, kv.Value);
                    items.Add(new KeyValuePair<TKey, TValue>(kv.Key, v));
                }
                else if (!_intersect)
                {
                    var v = _oneSided is null ? kv.Value : _oneSided(kv.Key, kv.Value);
                    changed |= !Values.Equals(v, kv.Value);
                    items.Add(new KeyValuePair<TKey, TValue>(kv.Key, v));
                }
                else
                {
                    changed = true;
                }
            }
            if (!_intersect)
            {
                foreach (var other in b.Items)
                {
                    if (Array.Exists(a.Items, kv => _keys.Equals(kv.Key, other.Key))) continue;
                    items.Add(new KeyValuePair<TKey, TValue>(other.Key, _oneSided is null ? other.Value : _oneSided(other.Key, other.Value)));
                    changed = true;
                }
            }
            if (!changed) return a;
            return items.Count == 0 ? null : new Leaf(a.Hash, items.ToArray());
        }

        /// <summary>A subtree present in one map only: dropped (intersection), kept, or each value passed through <see cref="_oneSided"/>.</summary>
        private Node? OneSide(Node? node)
        {
            if (node is null || _intersect) return null;
            if (_oneSided is null) return node;
            switch (node)
            {
                case Branch b:
                    return Rebuild(b, OneSide(b.Left), OneSide(b.Right));
                default:
                    var leaf = (Leaf)node;
                    KeyValuePair<TKey, TValue>[]? items = null;
                    for (var i = 0; i < leaf.Items.Length; i++)
                    {
                        var v = _oneSided(leaf.Items[i].Key, leaf.Items[i].Value);
                        if (Values.Equals(v, leaf.Items[i].Value)) continue;
                        items ??= (KeyValuePair<TKey, TValue>[])leaf.Items.Clone();
                        items[i] = new KeyValuePair<TKey, TValue>(leaf.Items[i].Key, v);
                    }
                    return items is null ? leaf : new Leaf(leaf.Hash, items);
            }
        }

        private static Node? Disjoint(uint p0, Node? t0, uint p1, Node? t1)
        {
            if (t0 is null) return t1;
            if (t1 is null) return t0;
            return Link(p0, t0, p1, t1);
        }
    }
}
