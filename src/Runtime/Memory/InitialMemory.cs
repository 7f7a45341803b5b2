namespace PtGuard.Runtime.Memory;

/// <summary>The memory image before any thread runs: every word not set here reads as zero.</summary>
public sealed class InitialMemory
{
    private readonly Dictionary<ulong, ulong> _words = new();
    private readonly Dictionary<ulong, string> _names = new();

    /// <summary>Sets the initial value of the word at <paramref name="address"/> (8-byte aligned).</summary>
    public void Write(ulong address, ulong value)
    {
        CheckAligned(address, "initial write");
        _words[address] = value;
    }

    /// <summary>The initial value of the word at <paramref name="address"/>.</summary>
    public ulong Read(ulong address) => _words.TryGetValue(address, out var v) ? v : 0;

    /// <summary>Gives a word a name for witnesses ("x", "init_mm.mmap_lock").</summary>
    public void Name(ulong address, string name) => _names[address] = name;

    /// <summary>The name given to a word, if any.</summary>
    public string? NameOf(ulong address) => _names.TryGetValue(address, out var n) ? n : null;

    /// <summary>Every word that has an initial value or a name.</summary>
    public IEnumerable<ulong> KnownAddresses => _words.Keys.Union(_names.Keys);

    /// <summary>"x" for a named word, "0x1008" otherwise.</summary>
    public string Describe(ulong address) => NameOf(address) ?? $"0x{address:x}";

    internal static void CheckAligned(ulong address, string operation)
    {
        if ((address & 7) != 0)
        {
            throw new PtGuardException($"{operation}: address 0x{address:x} is not 8-byte aligned; emulated memory holds 64-bit words.");
        }
    }
}
