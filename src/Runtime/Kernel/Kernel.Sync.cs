namespace PtGuard.Runtime;

public static partial class Kernel
{
    /// <summary><c>static_branch_unlikely(&amp;key)</c>: the freer's view of the patched branch, a load of the key.</summary>
    [StaticKeyTest("key")]
    public static bool StaticBranchUnlikely(StaticKey key) => KernelMachine.StaticKeyOn(key);

    /// <summary><c>static_branch_enable</c>: switches the key on (not counted), then a full barrier on every CPU.</summary>
    [UpdatesStaticKey(StaticKeyUpdate.Enable, "key")]
    public static void StaticBranchEnable(StaticKey key) => KernelMachine.StaticKeyUpdate(key, StaticKeyUpdate.Enable);

    /// <summary><c>static_branch_disable</c>: switches the key off (not counted), then a full barrier.</summary>
    [UpdatesStaticKey(StaticKeyUpdate.Disable, "key")]
    public static void StaticBranchDisable(StaticKey key) => KernelMachine.StaticKeyUpdate(key, StaticKeyUpdate.Disable);

    /// <summary><c>static_branch_inc</c>: counted enable, then a full barrier.</summary>
    [UpdatesStaticKey(StaticKeyUpdate.Inc, "key")]
    public static void StaticBranchInc(StaticKey key) => KernelMachine.StaticKeyUpdate(key, StaticKeyUpdate.Inc);

    /// <summary><c>static_branch_dec</c>: counted disable, then a full barrier; below zero is a violation.</summary>
    [UpdatesStaticKey(StaticKeyUpdate.Dec, "key")]
    public static void StaticBranchDec(StaticKey key) => KernelMachine.StaticKeyUpdate(key, StaticKeyUpdate.Dec);

    /// <summary><c>mmap_read_lock(mm)</c>: waits behind a writer that holds or waits for the lock (acquire).</summary>
    [AcquiresLock(LockMode.Shared, "mm")]
    public static void MmapReadLock(MmStruct mm) => KernelMachine.ReadLock(mm);

    /// <summary><c>mmap_read_trylock(mm)</c>: takes the read lock only if no writer holds or waits for it.</summary>
    [TryAcquiresLock(LockMode.Shared, "mm")]
    public static bool MmapReadTrylock(MmStruct mm) => KernelMachine.ReadTrylock(mm);

    /// <summary><c>mmap_read_unlock(mm)</c> (release).</summary>
    [ReleasesLock(LockMode.Shared, "mm")]
    public static void MmapReadUnlock(MmStruct mm) => KernelMachine.ReadUnlock(mm);

    /// <summary><c>mmap_write_lock(mm)</c>: queues as a waiting writer (new readers now wait), then waits for the readers to leave.</summary>
    [AcquiresLock(LockMode.Exclusive, "mm")]
    public static void MmapWriteLock(MmStruct mm) => KernelMachine.WriteLock(mm);

    /// <summary><c>mmap_write_unlock(mm)</c> (release).</summary>
    [ReleasesLock(LockMode.Exclusive, "mm")]
    public static void MmapWriteUnlock(MmStruct mm) => KernelMachine.WriteUnlock(mm);
}
