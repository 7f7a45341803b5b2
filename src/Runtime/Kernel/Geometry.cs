namespace PtGuard.Runtime;

/// <summary>
/// Page-table geometry: 4 KiB granule, four levels (PGD, PUD, PMD, PTE). The kernel's is 512 entries per
/// table (48-bit VA); explorations use fewer entries per table so that walks and freeing loops stay small,
/// with every size derived the same way (<c>PMD_SIZE = PAGE_SIZE * entries</c>, and so on).
/// </summary>
public sealed record Geometry
{
    /// <summary>Creates a geometry with <paramref name="entriesPerTable"/> entries (a power of two, 2 to 512).</summary>
    public Geometry(int entriesPerTable)
    {
        if (entriesPerTable < 2 || entriesPerTable > 512 || (entriesPerTable & (entriesPerTable - 1)) != 0)
        {
            throw new PtGuardException($"geometry: {entriesPerTable} entries per table is not a power of two between 2 and 512.");
        }
        EntriesPerTable = entriesPerTable;
        BitsPerLevel = System.Numerics.BitOperations.Log2((uint)entriesPerTable);
    }

    /// <summary>The kernel's geometry: 512 entries per table, 48-bit virtual addresses.</summary>
    public static Geometry Kernel { get; } = new(512);

    /// <summary>Entries per table.</summary>
    public int EntriesPerTable { get; }

    /// <summary>Virtual-address bits each level resolves.</summary>
    public int BitsPerLevel { get; }

    /// <summary><c>PAGE_SHIFT</c>.</summary>
    public int PageShift => 12;

    /// <summary><c>PMD_SHIFT</c>.</summary>
    public int PmdShift => PageShift + BitsPerLevel;

    /// <summary><c>PUD_SHIFT</c>.</summary>
    public int PudShift => PmdShift + BitsPerLevel;

    /// <summary><c>PGDIR_SHIFT</c>.</summary>
    public int PgdShift => PudShift + BitsPerLevel;

    /// <summary>Virtual-address bits (48 for the kernel's geometry).</summary>
    public int VaBits => PgdShift + BitsPerLevel;

    /// <summary><c>PAGE_SIZE</c>.</summary>
    public ulong PageSize => 1UL << PageShift;

    /// <summary><c>PMD_SIZE</c>: the range one PTE table maps.</summary>
    public ulong PmdSize => 1UL << PmdShift;

    /// <summary><c>PUD_SIZE</c>: the range one PMD table maps.</summary>
    public ulong PudSize => 1UL << PudShift;

    /// <summary><c>PGDIR_SIZE</c>: the range one PUD table maps.</summary>
    public ulong PgdSize => 1UL << PgdShift;

    /// <summary>Start of the kernel half of the address space (<c>0xffff000000000000</c> for 48 bits).</summary>
    public ulong KernelVaStart => ~0UL << VaBits;

    /// <summary>Index of <paramref name="va"/> in a table at <paramref name="level"/> (0 = PGD ... 3 = PTE).</summary>
    public int IndexAt(int level, ulong va)
    {
        var shift = level switch { 0 => PgdShift, 1 => PudShift, 2 => PmdShift, 3 => PageShift, _ => throw new ArgumentOutOfRangeException(nameof(level)) };
        return (int)((va >> shift) & (ulong)(EntriesPerTable - 1));
    }

    /// <summary>Size of the range one entry at <paramref name="level"/> maps.</summary>
    public ulong EntrySize(int level) => level switch { 0 => PgdSize, 1 => PudSize, 2 => PmdSize, 3 => PageSize, _ => throw new ArgumentOutOfRangeException(nameof(level)) };
}
