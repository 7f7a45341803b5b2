namespace PtGuard.Runtime;

/// <summary>
/// An address space (<c>struct mm_struct</c>): its page-table root and its <c>mmap_lock</c>, a writer-preferring
/// read-write semaphore held in one word of emulated memory.
/// </summary>
public sealed class MmStruct
{
    /// <summary>Defines an mm whose fields live at slot <paramref name="slot"/> of the kernel data area.</summary>
    public MmStruct(string name, int slot)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (slot < 0 || slot >= KernelLayout.MmSlots) throw new PtGuardException($"mm '{name}': slot {slot} is outside 0..{KernelLayout.MmSlots - 1}.");
        Name = name;
        LockAddress = KernelLayout.MmBase + (ulong)slot * 64;
        PgdFieldAddress = LockAddress + 8;
    }

    /// <summary>The kernel name ("init_mm").</summary>
    public string Name { get; }

    /// <summary>Address of the <c>mmap_lock</c> word.</summary>
    public ulong LockAddress { get; }

    /// <summary>Address of the <c>pgd</c> field (holds the root table's address).</summary>
    public ulong PgdFieldAddress { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
