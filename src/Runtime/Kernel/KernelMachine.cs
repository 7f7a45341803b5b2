using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime;

/// <summary>
/// The kernel model behind one scenario: its geometry, the page tables it starts with (built here, before any
/// CPU runs, straight into the initial memory image), the table allocator, which CPUs translate in hardware,
/// and the architecture's freeing functions that the generic vmap code calls.
/// </summary>
public sealed partial class KernelMachine
{
    private readonly Dictionary<ulong, TableInfo> _tables = new();
    private int _nextPage;

    /// <summary>Creates a machine whose <c>init_mm</c> has an empty PGD.</summary>
    public KernelMachine(Geometry? geometry = null)
    {
        Geometry = geometry ?? Geometry.Kernel;
        Memory = new InitialMemory();
        Memory.Name(Kernel.InitMm.LockAddress, "init_mm.mmap_lock");
        Memory.Name(Kernel.InitMm.PgdFieldAddress, "init_mm.pgd");
        Root = NewSetupTable(0, Geometry.KernelVaStart);
        Memory.Write(Kernel.InitMm.PgdFieldAddress, Root);
    }

    /// <summary>The geometry.</summary>
    public Geometry Geometry { get; }

    /// <summary>The memory image the CPUs start from.</summary>
    public InitialMemory Memory { get; }

    /// <summary>Address of <c>init_mm</c>'s PGD page.</summary>
    public ulong Root { get; }

    /// <summary>The architecture's <c>pmd_free_pte_page</c> / <c>pud_free_pmd_page</c>, which the generic vmap code calls.</summary>
    public IArchTableFreeing? ArchFreeing { get; set; }

    /// <summary>CPUs that translate addresses in hardware: a TLBI empties their walk caches.</summary>
    public IReadOnlyList<int> HardwareWalkers { get; set; } = Array.Empty<int>();

    internal static KernelMachine? CurrentOrNull => Cpu.Current?.Program.Context as KernelMachine;

    internal static KernelMachine Current(string operation) =>
        Cpu.Require(operation).Program.Context as KernelMachine
        ?? throw new PtGuardException($"{operation}: the running program has no kernel model; build it with KernelMachine.Program(...).");

    internal static Geometry CurrentGeometry => CurrentOrNull?.Geometry ?? Geometry.Kernel;

    internal static IArchTableFreeing Arch =>
        Current("vmap").ArchFreeing ?? throw new PtGuardException("vmap: this machine has no architecture freeing functions (set KernelMachine.ArchFreeing, e.g. to Reference.ProtocolA.Arch).");

    /// <summary>Maps a 4 KiB page at <paramref name="va"/> before the CPUs start, creating tables as needed.</summary>
    public PtePtr MapPage(ulong va, ulong phys, PgProt prot)
    {
        var entry = EnsureEntry(3, va);
        Memory.Write(entry, (phys & Descriptor.AddressMask) | prot.Bits | Descriptor.TypePage);
        return new PtePtr(entry);
    }

    /// <summary>Maps a block at level 1 (PUD, <c>PUD_SIZE</c>) or 2 (PMD, <c>PMD_SIZE</c>) before the CPUs start.</summary>
    public ulong MapBlock(int level, ulong va, ulong phys, PgProt prot)
    {
        if (level is not (1 or 2)) throw new PtGuardException($"MapBlock: level {level} has no block mappings here (use 1 for PUD, 2 for PMD).");
        if ((va & (Geometry.EntrySize(level) - 1)) != 0) throw new PtGuardException($"MapBlock: 0x{va:x} is not aligned to the level-{level} block size 0x{Geometry.EntrySize(level):x}.");
        var entry = EnsureEntry(level, va);
        Memory.Write(entry, (phys & Descriptor.AddressMask) | prot.Bits | Descriptor.TypeSect);
        return entry;
    }

    /// <summary>The entry at <paramref name="level"/> (0 PGD ... 3 PTE) for <paramref name="va"/>, creating tables above it.</summary>
    public ulong EnsureEntry(int level, ulong va)
    {
        var table = Root;
        for (var l = 0; l < level; l++)
        {
            var entry = table + (ulong)(Geometry.IndexAt(l, va) * 8);
            var desc = Memory.Read(entry);
            if ((desc & Descriptor.TypeTable) != Descriptor.TypeTable)
            {
                if (desc != 0) throw new PtGuardException($"setup: 0x{va:x} is already mapped by a block at level {l}.");
                var childBase = va & ~(Geometry.EntrySize(l) - 1);
                var child = NewSetupTable(l + 1, childBase);
                Memory.Write(entry, child | Descriptor.TypeTable);
                desc = child | Descriptor.TypeTable;
            }
            table = desc & Descriptor.AddressMask;
        }
        return table + (ulong)(Geometry.IndexAt(level, va) * 8);
    }

    /// <summary>The PUD entry for <paramref name="va"/> (setup-time pointer).</summary>
    public PudPtr PudEntry(ulong va) => new(EnsureEntry(1, va));

    /// <summary>The PMD entry for <paramref name="va"/> (setup-time pointer).</summary>
    public PmdPtr PmdEntry(ulong va) => new(EnsureEntry(2, va));

    /// <summary>The PTE entry for <paramref name="va"/> (setup-time pointer).</summary>
    public PtePtr PteEntry(ulong va) => new(EnsureEntry(3, va));

    /// <summary>The table page at <paramref name="level"/> covering <paramref name="va"/>, as set up.</summary>
    public ulong TableAt(int level, ulong va)
    {
        var entry = EnsureEntry(level, va);
        return entry & ~(Geometry.PageSize - 1);
    }

    /// <summary>
    /// A program of one thread per CPU on this machine. Every complete execution is also checked for tables
    /// that were freed but are still linked from <c>init_mm</c>.
    /// </summary>
    public ConcurrentProgram Program(string name, params (string Name, Action Body)[] cpus) =>
        new(name, Memory, cpus.Select(c => c.Body).ToArray())
        {
            Context = this,
            CpuNames = cpus.Select((c, i) => $"CPU {i} ({c.Name})").ToArray(),
            FinalCheck = CheckFreedTablesUnlinked,
            DescribeDeadlock = DescribeDeadlock,
        };

    /// <summary>Runs <paramref name="body"/> alone on one CPU (sequential use: building and dumping a model).</summary>
    public void RunSequential(Action body, string name = "sequential")
    {
        var result = Explorer.Explore(Program(name, ("main", body)), new ExploreOptions { Model = MemoryModel.Sc });
        if (result.Violation is { } v) throw new PtGuardException(v.Message, v.Kind);
    }

    private ulong NewSetupTable(int level, ulong vaBase)
    {
        if (_nextPage >= 64 * PoolWords) throw new PtGuardException($"setup: the table pool ({64 * PoolWords} pages) is exhausted.");
        var page = KernelLayout.TablePoolBase + (ulong)_nextPage * Geometry.PageSize;
        Memory.Write(KernelLayout.PageMetaBase + (ulong)_nextPage * 8, PageMeta.InUse(0));
        var bitmapWord = BitmapWord(_nextPage / 64);
        Memory.Write(bitmapWord, Memory.Read(bitmapWord) | (1UL << (_nextPage % 64)));
        Memory.Name(page, $"{LevelName(level)} table @0x{page:x}");
        _tables[page] = new TableInfo(level, vaBase);
        _nextPage++;
        return page;
    }

    internal const int PoolWords = 4;

    internal static string LevelName(int level) => level switch { 0 => "pgd", 1 => "pud", 2 => "pmd", 3 => "pte", _ => "table" };

    internal bool IsTablePage(ulong address) =>
        address >= KernelLayout.TablePoolBase && address < KernelLayout.TablePoolBase + (ulong)(64 * PoolWords) * Geometry.PageSize;

    internal int PageIndex(ulong address) => (int)((address - KernelLayout.TablePoolBase) / Geometry.PageSize);

    internal ulong PageOf(ulong address) => address & ~(Geometry.PageSize - 1);

    internal TableInfo? InfoOf(ulong page) => _tables.TryGetValue(page, out var t) ? t : null;

    internal IEnumerable<KeyValuePair<ulong, TableInfo>> SetupTables => _tables;

    internal readonly record struct TableInfo(int Level, ulong VaBase);
}

/// <summary>The architecture's table-freeing functions, which the generic vmap code calls.</summary>
public interface IArchTableFreeing
{
    /// <summary><c>pmd_free_pte_page(pmdp, addr)</c>: frees the PTE table under <paramref name="pmdp"/>; 1 on success.</summary>
    int PmdFreePtePage(PmdPtr pmdp, ulong addr);

    /// <summary><c>pud_free_pmd_page(pudp, addr)</c>: frees the PMD table (and its PTE tables) under <paramref name="pudp"/>; 1 on success.</summary>
    int PudFreePmdPage(PudPtr pudp, ulong addr);
}

/// <summary>The per-page allocator word: state in the low bits, generation above.</summary>
internal static class PageMeta
{
    public const ulong Free = 0, Used = 1, Freed = 2;

    public static ulong InUse(ulong generation) => (generation << 8) | Used;

    public static ulong State(ulong meta) => meta & 0xff;

    public static ulong Generation(ulong meta) => meta >> 8;
}
