namespace PtGuard.Runtime;

/// <summary>Whether a lock is taken shared (read) or exclusive (write).</summary>
public enum LockMode
{
    /// <summary>Read lock: many holders.</summary>
    Shared,

    /// <summary>Write lock: one holder.</summary>
    Exclusive,
}

/// <summary>How a method changes a static key.</summary>
public enum StaticKeyUpdate
{
    /// <summary>Counted increment (<c>static_branch_inc</c>).</summary>
    Inc,

    /// <summary>Counted decrement (<c>static_branch_dec</c>).</summary>
    Dec,

    /// <summary>Uncounted switch on (<c>static_branch_enable</c>).</summary>
    Enable,

    /// <summary>Uncounted switch off (<c>static_branch_disable</c>).</summary>
    Disable,
}

/// <summary>The method returns whether the static key named by <see cref="Key"/> is on, as seen by the caller's patched branch.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class StaticKeyTestAttribute : Attribute
{
    /// <summary>Declares that the parameter <paramref name="key"/> is the key tested.</summary>
    public StaticKeyTestAttribute(string key) => Key = key;

    /// <summary>Name of the parameter holding the key.</summary>
    public string Key { get; }
}

/// <summary>The method updates the static key named by <see cref="Key"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class UpdatesStaticKeyAttribute : Attribute
{
    /// <summary>Declares the update kind and the parameter holding the key.</summary>
    public UpdatesStaticKeyAttribute(StaticKeyUpdate update, string key)
    {
        Update = update;
        Key = key;
    }

    /// <summary>What the method does to the key.</summary>
    public StaticKeyUpdate Update { get; }

    /// <summary>Name of the parameter holding the key.</summary>
    public string Key { get; }
}

/// <summary>The method blocks until it holds the lock of the mm named by <see cref="Mm"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AcquiresLockAttribute : Attribute
{
    /// <summary>Declares the lock mode and the parameter holding the mm.</summary>
    public AcquiresLockAttribute(LockMode mode, string mm)
    {
        Mode = mode;
        Mm = mm;
    }

    /// <summary>Declares the lock mode of <c>init_mm</c>'s lock (for a wrapper that always takes <c>InitMm</c>'s).</summary>
    public AcquiresLockAttribute(LockMode mode) => Mode = mode;

    /// <summary>Shared or exclusive.</summary>
    public LockMode Mode { get; }

    /// <summary>Name of the parameter holding the <c>MmStruct</c>; null means <c>InitMm</c>.</summary>
    public string? Mm { get; }
}

/// <summary>The method releases the lock of the mm named by <see cref="Mm"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ReleasesLockAttribute : Attribute
{
    /// <summary>Declares the lock mode and the parameter holding the mm.</summary>
    public ReleasesLockAttribute(LockMode mode, string mm)
    {
        Mode = mode;
        Mm = mm;
    }

    /// <summary>Declares the lock mode of <c>init_mm</c>'s lock (for a wrapper that always releases <c>InitMm</c>'s).</summary>
    public ReleasesLockAttribute(LockMode mode) => Mode = mode;

    /// <summary>Shared or exclusive.</summary>
    public LockMode Mode { get; }

    /// <summary>Name of the parameter holding the <c>MmStruct</c>; null means <c>InitMm</c>.</summary>
    public string? Mm { get; }
}

/// <summary>The method tries once to take the lock of the mm named by <see cref="Mm"/> and returns whether it did.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TryAcquiresLockAttribute : Attribute
{
    /// <summary>Declares the lock mode and the parameter holding the mm.</summary>
    public TryAcquiresLockAttribute(LockMode mode, string mm)
    {
        Mode = mode;
        Mm = mm;
    }

    /// <summary>Declares the lock mode of <c>init_mm</c>'s lock (for a wrapper that always tries once to take <c>InitMm</c>'s).</summary>
    public TryAcquiresLockAttribute(LockMode mode) => Mode = mode;

    /// <summary>Shared or exclusive.</summary>
    public LockMode Mode { get; }

    /// <summary>Name of the parameter holding the <c>MmStruct</c>; null means <c>InitMm</c>.</summary>
    public string? Mm { get; }
}

/// <summary>
/// The caller must hold the lock of <c>init_mm</c> (or of the mm parameter named by <see cref="Mm"/>) in at least
/// the given mode, as Clang's <c>REQUIRES_SHARED</c>/<c>REQUIRES</c>. Frees inside such a method count as held.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class RequiresLockAttribute : Attribute
{
    /// <summary>Declares that callers hold the lock of <c>init_mm</c> in <paramref name="mode"/>.</summary>
    public RequiresLockAttribute(LockMode mode) => Mode = mode;

    /// <summary>The least mode callers hold.</summary>
    public LockMode Mode { get; }

    /// <summary>Name of the parameter holding the mm; null means <c>InitMm</c>.</summary>
    public string? Mm { get; set; }
}

/// <summary>
/// The method takes and drops the lock of <c>init_mm</c> (or of the mm parameter named by <see cref="Mm"/>) inside:
/// a lock cycle, as Protocol A's freeing functions do when the walker key is on. A caller that already holds that
/// lock nests a blocking read lock (a deadlock behind a queued writer). With <see cref="Condition"/>, the cycle
/// happens only when that <c>bool</c> parameter is true (<c>acquireMmapLock</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CyclesLockAttribute : Attribute
{
    /// <summary>Declares a cycle of <c>init_mm</c>'s lock in <paramref name="mode"/>.</summary>
    public CyclesLockAttribute(LockMode mode) => Mode = mode;

    /// <summary>Shared or exclusive.</summary>
    public LockMode Mode { get; }

    /// <summary>Name of the parameter holding the mm; null means <c>InitMm</c>.</summary>
    public string? Mm { get; set; }

    /// <summary>Name of a <c>bool</c> parameter: the cycle happens only when it is true; null means always (when the key is on).</summary>
    public string? Condition { get; set; }
}

/// <summary>The method walks the page tables of the mm named by <see cref="Mm"/> (null: <c>InitMm</c>) as a software walker.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class WalksPageTablesAttribute : Attribute
{
    /// <summary>Declares a walk of <c>InitMm</c>.</summary>
    public WalksPageTablesAttribute()
    {
    }

    /// <summary>Declares a walk of the mm held by parameter <paramref name="mm"/>.</summary>
    public WalksPageTablesAttribute(string mm) => Mm = mm;

    /// <summary>Name of the parameter holding the mm; null means <c>InitMm</c>.</summary>
    public string? Mm { get; }
}

/// <summary>Marks the static key that software walkers raise while they walk (<c>arm64_ptdump_lock_key</c>).</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class WalkerKeyAttribute : Attribute
{
}

/// <summary>Marks the field or property that is <c>init_mm</c>.</summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class InitMmAttribute : Attribute
{
}
