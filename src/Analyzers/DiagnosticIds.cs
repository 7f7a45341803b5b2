// ID policy (keep IDs stable: docs, suppressions, code fixes and the CLI depend on them).
//
//   PTG0001-PTG0008  PtGuard.Freeing  the table-freeing sequence: clear, walk-cache flush, lock cycle, free
//   PTG0009-PTG0011  PtGuard.Walker   software walkers announcing themselves with the walker key
//   PTG0012-PTG0014  PtGuard.Locking  init_mm's mmap_lock: held across the free (Protocol B), nesting
//   PTG0015-PTG0099  reserved, allocated in order within the family whose behaviour they check
//
// A retired ID is never reused; its line stays here as a comment and in AnalyzerReleases.Shipped.md.
namespace PtGuard.Analyzers;

/// <summary>The diagnostic IDs of every PtGuard rule.</summary>
public static class DiagnosticIds
{
    /// <summary>The freed table's entry is not cleared (or another entry is cleared instead).</summary>
    public const string MissingClear = "PTG0001";

    /// <summary>No walk-cache flush between the clear and the free.</summary>
    public const string MissingFlush = "PTG0002";

    /// <summary>A leaf-only flush (FlushTlbKernelRange) where a walk-cache flush is needed.</summary>
    public const string LeafOnlyFlush = "PTG0003";

    /// <summary>Protocol A: no key-guarded init_mm lock cycle between the flush and the free.</summary>
    public const string MissingLockCycle = "PTG0004";

    /// <summary>The steps happen, but in the wrong order.</summary>
    public const string StepsOutOfOrder = "PTG0005";

    /// <summary>The lock cycle is malformed (no unlock, write lock, wrong mm, wrong key, work inside).</summary>
    public const string MalformedLockCycle = "PTG0006";

    /// <summary>The lock cycle is not guarded by the walker key (correct, but every free pays for it).</summary>
    public const string UnconditionalLockCycle = "PTG0007";

    /// <summary>A child table is freed without a cycle while its parent table is not isolated on every path.</summary>
    public const string LockFreeChildNotIsolated = "PTG0008";

    /// <summary>A walk of init_mm without the walker-key bracket.</summary>
    public const string WalkWithoutKeyBracket = "PTG0009";

    /// <summary>The walker-key bracket is missing on some path.</summary>
    public const string KeyBracketNotOnAllPaths = "PTG0010";

    /// <summary>StaticBranchEnable/Disable on the walker key: not counted, so two walkers overlap.</summary>
    public const string UncountedKeyBracket = "PTG0011";

    /// <summary>Protocol B: a table free outside a held init_mm read lock.</summary>
    public const string FreeNotUnderReadLock = "PTG0012";

    /// <summary>MmapReadTrylock's result is ignored.</summary>
    public const string TrylockResultIgnored = "PTG0013";

    /// <summary>A read lock of an mm taken again while it is held: deadlock behind a queued writer.</summary>
    public const string NestedReadLock = "PTG0014";
}

/// <summary>The rule categories (see the ID ranges in <see cref="DiagnosticIds"/>).</summary>
public static class DiagnosticCategories
{
    /// <summary>The table-freeing sequence.</summary>
    public const string Freeing = "PtGuard.Freeing";

    /// <summary>Software walkers and the walker key.</summary>
    public const string Walker = "PtGuard.Walker";

    /// <summary>init_mm's mmap_lock.</summary>
    public const string Locking = "PtGuard.Locking";
}
