using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime;

/// <summary>Pointer to a PGD entry (<c>pgd_t *</c>): an address in emulated memory; <c>p + 1</c> is the next entry.</summary>
public readonly record struct PgdPtr(Val Address)
{
    /// <summary>A pointer at a constant address.</summary>
    public PgdPtr(ulong address)
        : this(new Val(address))
    {
    }

    /// <summary>Advances by <paramref name="entries"/> entries (8 bytes each).</summary>
    public static PgdPtr operator +(PgdPtr p, int entries) => new(p.Address + (ulong)(entries * 8));

    /// <summary>The next entry.</summary>
    public static PgdPtr operator ++(PgdPtr p) => p + 1;

    /// <summary>Whether two pointers name the same entry; records a control dependency.</summary>
    public bool Is(PgdPtr other) => Address.Is(other.Address.Observe());

    /// <summary>"pgd@0x...".</summary>
    public override string ToString() => "pgd@" + Address;
}

/// <summary>Pointer to a PUD entry (<c>pud_t *</c>): an address in emulated memory; <c>p + 1</c> is the next entry.</summary>
public readonly record struct PudPtr(Val Address)
{
    /// <summary>A pointer at a constant address.</summary>
    public PudPtr(ulong address)
        : this(new Val(address))
    {
    }

    /// <summary>Advances by <paramref name="entries"/> entries (8 bytes each).</summary>
    public static PudPtr operator +(PudPtr p, int entries) => new(p.Address + (ulong)(entries * 8));

    /// <summary>The next entry.</summary>
    public static PudPtr operator ++(PudPtr p) => p + 1;

    /// <summary>Whether two pointers name the same entry; records a control dependency.</summary>
    public bool Is(PudPtr other) => Address.Is(other.Address.Observe());

    /// <summary>"pud@0x...".</summary>
    public override string ToString() => "pud@" + Address;
}

/// <summary>Pointer to a PMD entry (<c>pmd_t *</c>): an address in emulated memory; <c>p + 1</c> is the next entry.</summary>
public readonly record struct PmdPtr(Val Address)
{
    /// <summary>A pointer at a constant address.</summary>
    public PmdPtr(ulong address)
        : this(new Val(address))
    {
    }

    /// <summary>Advances by <paramref name="entries"/> entries (8 bytes each).</summary>
    public static PmdPtr operator +(PmdPtr p, int entries) => new(p.Address + (ulong)(entries * 8));

    /// <summary>The next entry.</summary>
    public static PmdPtr operator ++(PmdPtr p) => p + 1;

    /// <summary>Whether two pointers name the same entry; records a control dependency.</summary>
    public bool Is(PmdPtr other) => Address.Is(other.Address.Observe());

    /// <summary>"pmd@0x...".</summary>
    public override string ToString() => "pmd@" + Address;
}

/// <summary>Pointer to a PTE entry (<c>pte_t *</c>): an address in emulated memory; <c>p + 1</c> is the next entry.</summary>
public readonly record struct PtePtr(Val Address)
{
    /// <summary>A pointer at a constant address.</summary>
    public PtePtr(ulong address)
        : this(new Val(address))
    {
    }

    /// <summary>Advances by <paramref name="entries"/> entries (8 bytes each).</summary>
    public static PtePtr operator +(PtePtr p, int entries) => new(p.Address + (ulong)(entries * 8));

    /// <summary>The next entry.</summary>
    public static PtePtr operator ++(PtePtr p) => p + 1;

    /// <summary>Whether two pointers name the same entry; records a control dependency.</summary>
    public bool Is(PtePtr other) => Address.Is(other.Address.Observe());

    /// <summary>"pte@0x...".</summary>
    public override string ToString() => "pte@" + Address;
}

/// <summary>A loaded PGD descriptor (<c>pgd_t</c>); it carries the load it came from as a dependency.</summary>
public readonly record struct Pgd(Val Value)
{
    /// <summary>A descriptor with constant bits.</summary>
    public Pgd(ulong bits)
        : this(new Val(bits))
    {
    }

    /// <summary>The raw descriptor (<c>pgd_val</c>).</summary>
    public Val Raw => Value;

    /// <summary>Hexadecimal bits.</summary>
    public override string ToString() => Value.ToString();
}

/// <summary>A loaded PUD descriptor (<c>pud_t</c>); it carries the load it came from as a dependency.</summary>
public readonly record struct Pud(Val Value)
{
    /// <summary>A descriptor with constant bits.</summary>
    public Pud(ulong bits)
        : this(new Val(bits))
    {
    }

    /// <summary>The raw descriptor (<c>pud_val</c>).</summary>
    public Val Raw => Value;

    /// <summary>Hexadecimal bits.</summary>
    public override string ToString() => Value.ToString();
}

/// <summary>A loaded PMD descriptor (<c>pmd_t</c>); it carries the load it came from as a dependency.</summary>
public readonly record struct Pmd(Val Value)
{
    /// <summary>A descriptor with constant bits.</summary>
    public Pmd(ulong bits)
        : this(new Val(bits))
    {
    }

    /// <summary>The raw descriptor (<c>pmd_val</c>).</summary>
    public Val Raw => Value;

    /// <summary>Hexadecimal bits.</summary>
    public override string ToString() => Value.ToString();
}

/// <summary>A loaded PTE descriptor (<c>pte_t</c>); it carries the load it came from as a dependency.</summary>
public readonly record struct Pte(Val Value)
{
    /// <summary>A descriptor with constant bits.</summary>
    public Pte(ulong bits)
        : this(new Val(bits))
    {
    }

    /// <summary>The raw descriptor (<c>pte_val</c>).</summary>
    public Val Raw => Value;

    /// <summary>Hexadecimal bits.</summary>
    public override string ToString() => Value.ToString();
}
