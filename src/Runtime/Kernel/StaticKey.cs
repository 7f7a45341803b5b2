namespace PtGuard.Runtime;

/// <summary>
/// A static key (<c>DEFINE_STATIC_KEY_FALSE</c>): a counted flag whose readers see it through a patched branch.
/// Its count lives in emulated memory at an address derived from its name, so that a witness recorded in one
/// process replays in another.
/// </summary>
public sealed class StaticKey
{
    private static readonly Dictionary<ulong, string> Slots = new();

    /// <summary>Defines a key that starts disabled.</summary>
    public StaticKey(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        var slot = Fnv(name) % KernelLayout.StaticKeySlots;
        lock (Slots)
        {
            if (Slots.TryGetValue(slot, out var other) && other != name)
            {
                throw new PtGuardException($"static key '{name}': its memory slot is taken by '{other}'; give one of them another name.");
            }
            Slots[slot] = name;
        }
        Address = KernelLayout.StaticKeyBase + slot * 8;
    }

    /// <summary>The kernel name ("arm64_ptdump_lock_key").</summary>
    public string Name { get; }

    /// <summary>Address of the key's count in emulated memory.</summary>
    public ulong Address { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static ulong Fnv(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h;
    }
}
