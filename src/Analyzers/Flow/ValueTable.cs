using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace PtGuard.Analyzers.Flow;

/// <summary>What a symbolic value is.</summary>
internal enum ValueKind
{
    /// <summary>A parameter, captured variable or static field as the analysed body first sees it.</summary>
    Input,

    /// <summary>The result of something the analysis does not model, one per site.</summary>
    Opaque,

    /// <summary>A compile-time constant (bools specialise helpers).</summary>
    Const,

    /// <summary>A pointer into the lower table an entry points at (<c>[TableOf]</c>).</summary>
    TableOf,

    /// <summary>Pointer arithmetic: another entry of the same table.</summary>
    Derived,

    /// <summary>Integer arithmetic: a different address.</summary>
    Arith,

    /// <summary>Different values meeting at a join.</summary>
    Phi,

    /// <summary>A static key member.</summary>
    KeyRef,

    /// <summary><c>InitMm</c>.</summary>
    InitMm,

    /// <summary>A static key test's result.</summary>
    KeyTest,

    /// <summary>A trylock's result.</summary>
    TryLock,

    /// <summary>The negation of a bool value.</summary>
    Not,
}

/// <summary>One interned value.</summary>
internal sealed class ValueInfo
{
    public ValueInfo(ValueKind kind, int a, int b, object? key, int container)
    {
        Kind = kind;
        A = a;
        B = b;
        Key = key;
        Container = container;
    }

    public ValueKind Kind { get; }

    /// <summary>TableOf: entry; Derived/Not: base; Arith: left; KeyTest/TryLock: key or mm; Const: the constant.</summary>
    public int A { get; }

    /// <summary>TableOf: address; Arith: right.</summary>
    public int B { get; }

    /// <summary>Symbol, site or join key.</summary>
    public object? Key { get; }

    /// <summary>For a pointer: the entry whose lower table it points into; -1 when unknown.</summary>
    public int Container { get; }

    /// <summary>Source text that produced the value, for messages (the first seen).</summary>
    public string? Text { get; set; }

    /// <summary>TableOf: the deriving invocation.</summary>
    public IOperation? Site { get; set; }
}

/// <summary>
/// Hash-consed symbolic values of one analysis (a method with the helpers it calls): equal terms get equal ids, so
/// "the entry this table was derived from" and "the entry being cleared" compare by id.
/// </summary>
internal sealed class ValueTable
{
    private readonly List<ValueInfo> _values = new();
    private readonly Dictionary<(ValueKind, int, int, object?, int), int> _ids = new();
    private readonly Dictionary<int, int> _addressOf = new();

    public const int None = -1;

    public ValueInfo this[int id] => _values[id];

    public int Count => _values.Count;

    public int Input(ISymbol symbol) => Intern(ValueKind.Input, 0, 0, symbol, -1);

    public int Opaque(object site) => Intern(ValueKind.Opaque, 0, 0, site, -1);

    public int Const(int value) => Intern(ValueKind.Const, value, 0, null, -1);

    public int InitMm() => Intern(ValueKind.InitMm, 0, 0, null, -1);

    public int KeyRef(ISymbol member) => Intern(ValueKind.KeyRef, 0, 0, member, -1);

    public int KeyTest(IOperation site, int key) => Intern(ValueKind.KeyTest, key, 0, site, -1);

    public int TryLock(IOperation site, int mm) => Intern(ValueKind.TryLock, mm, 0, site, -1);

    public int Not(int value)
    {
        var v = _values[value];
        if (v.Kind == ValueKind.Not) return v.A;
        if (v.Kind == ValueKind.Const) return Const(v.A == 0 ? 1 : 0);
        return Intern(ValueKind.Not, value, 0, null, -1);
    }

    /// <summary>The table <paramref name="entry"/> points at, derived for <paramref name="address"/>.</summary>
    public int TableOf(int entry, int address, IOperation site)
    {
        var id = Intern(ValueKind.TableOf, entry, address, null, entry);
        _values[id].Site ??= site;
        if (address != None)
        {
            if (!_addressOf.TryGetValue(entry, out var known)) _addressOf[entry] = address;
            else if (known != address) _addressOf[entry] = None;
        }
        return id;
    }

    /// <summary>The address the table under <paramref name="entry"/> was derived for; None when unknown or ambiguous.</summary>
    public int AddressOf(int entry) => _addressOf.TryGetValue(entry, out var a) ? a : None;

    /// <summary>Another entry of the same table as <paramref name="pointer"/> (<c>p++</c>, <c>p + n</c>).</summary>
    public int Derived(int pointer)
    {
        var v = _values[pointer];
        if (v.Kind == ValueKind.Derived) return pointer;
        return Intern(ValueKind.Derived, pointer, 0, null, v.Container);
    }

    /// <summary>An integer computed from <paramref name="left"/> and <paramref name="right"/> at <paramref name="site"/>.</summary>
    public int Arith(object site, int left, int right) => Intern(ValueKind.Arith, left, right, site, -1);

    /// <summary>The value of <paramref name="symbol"/> after paths carrying <paramref name="x"/> and <paramref name="y"/> meet at <paramref name="join"/>.</summary>
    public int Join(int x, int y, object join, object symbol)
    {
        if (x == y) return x;
        var vx = _values[x];
        var vy = _values[y];
        // Entries of one table stay entries of that table (the child loop's pmdp++).
        if (vx.Kind == ValueKind.Derived && (vx.A == y || (vy.Kind == ValueKind.Derived && vy.A == vx.A) || BaseOf(y) == vx.A)) return x;
        if (vy.Kind == ValueKind.Derived && (vy.A == x || BaseOf(x) == vy.A)) return y;
        var container = vx.Container == vy.Container ? vx.Container : -1;
        if (vx.Kind == ValueKind.Phi && Equals(vx.Key, (join, symbol)) && vx.Container == container) return x;
        if (vy.Kind == ValueKind.Phi && Equals(vy.Key, (join, symbol)) && vy.Container == container) return y;
        return Intern(ValueKind.Phi, 0, 0, (join, symbol), container);
    }

    /// <summary>The entries a walker passes to reach <paramref name="entry"/>'s table: itself, its table's entry, and up.</summary>
    public IEnumerable<int> Chain(int entry)
    {
        var current = entry;
        for (var depth = 0; current != None && depth < 5; depth++)
        {
            yield return current;
            current = _values[current].Container;
        }
    }

    public bool IsChild(int entry) => entry != None && _values[entry].Container != None;

    private int BaseOf(int value) => _values[value].Kind == ValueKind.Derived ? _values[value].A : value;

    private int Intern(ValueKind kind, int a, int b, object? key, int container)
    {
        var k = (kind, a, b, key, container);
        if (_ids.TryGetValue(k, out var id)) return id;
        id = _values.Count;
        _values.Add(new ValueInfo(kind, a, b, key, container));
        _ids.Add(k, id);
        return id;
    }
}
