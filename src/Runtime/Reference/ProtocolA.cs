using static PtGuard.Runtime.Kernel;

namespace PtGuard.Runtime.Reference;

/// <summary>
/// Protocol A, "barrier-cycle", as merged in Linux 6.18 (v6 of "arm64: Enable vmalloc-huge with ptdump",
/// <c>arch/arm64/mm/mmu.c</c> and <c>arch/arm64/mm/ptdump.c</c>), line for line. For each freed table: clear the
/// entry, flush every level of the TLB for it, then, only if a walker has raised the key, take and drop
/// <c>init_mm</c>'s read lock, and only then free. The walker raises the key (counted) around its walk.
/// </summary>
public static class ProtocolA
{
    /// <summary><c>DEFINE_STATIC_KEY_FALSE(arm64_ptdump_lock_key)</c>.</summary>
    [WalkerKey]
    public static readonly StaticKey Arm64PtdumpLockKey = new("arm64_ptdump_lock_key");

    /// <summary>These functions as the architecture hooks the generic vmap code calls.</summary>
    public static IArchTableFreeing Arch { get; } = new ArchHooks();

    /// <summary><c>__pmd_free_pte_page(pmdp, addr, acquire_mmap_lock)</c>.</summary>
    [CyclesLock(LockMode.Shared, Condition = "acquireMmapLock")]
    public static int PmdFreePteTable(PmdPtr pmdp, ulong addr, bool acquireMmapLock)
    {
        PtePtr table;
        Pmd pmd;

        pmd = PmdpGet(pmdp);

        if (!PmdTable(pmd))
        {
            VmWarnOn(true);
            return 1;
        }

        /* See comment in pud_free_pmd_page for static key logic */
        table = PteOffsetKernel(pmdp, addr);
        PmdClear(pmdp);
        FlushTlbKernelPgtable(addr);
        if (StaticBranchUnlikely(Arm64PtdumpLockKey) && acquireMmapLock)
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }

        PteFreeKernel(table);
        return 1;
    }

    /// <summary><c>pmd_free_pte_page(pmdp, addr)</c>.</summary>
    [CyclesLock(LockMode.Shared)]
    public static int PmdFreePtePage(PmdPtr pmdp, ulong addr)
    {
        /* If ptdump is walking the pagetables, acquire init_mm.mmap_lock */
        return PmdFreePteTable(pmdp, addr, acquireMmapLock: true);
    }

    /// <summary><c>pud_free_pmd_page(pudp, addr)</c>: isolates the PMD table first, then frees its PTE tables without the lock.</summary>
    [CyclesLock(LockMode.Shared)]
    public static int PudFreePmdTable(PudPtr pudp, ulong addr)
    {
        PmdPtr table;
        PmdPtr pmdp;
        Pud pud;
        ulong next, end;

        pud = PudpGet(pudp);

        if (!PudTable(pud))
        {
            VmWarnOn(true);
            return 1;
        }

        table = PmdOffset(pudp, addr);

        /*
         * Our objective is to prevent ptdump from reading a PMD table which has
         * been freed. Assume that ptdump_walk_pgd() (call this thread T1)
         * executes completely on CPU1 and pud_free_pmd_page() (call this thread
         * T2) executes completely on CPU2. Let the region sandwiched by the
         * mmap_write_lock/unlock in T1 be called CS (the critical section).
         *
         * Claim: The CS of T1 will never operate on a freed PMD table.
         *
         * Case 1 (a): T1 holds the lock first: T2's lock cycle waits until T1 leaves CS.
         * Case 1 (b): T2's cycle comes first: its release orders the cleared PUD before
         * T1's CS, so T1 never reaches the isolated PMD table.
         * Case 2: T2 sees the key off: the flush's barriers on T2 and the key update's
         * full barrier plus the write lock's acquire on T1 form store buffering, so T1
         * sees the cleared PUD. (PtGuard's explorer checks all three: scenario "v6".)
         */
        PudClear(pudp);
        FlushTlbKernelPgtable(addr);
        if (StaticBranchUnlikely(Arm64PtdumpLockKey))
        {
            MmapReadLock(InitMm);
            MmapReadUnlock(InitMm);
        }

        pmdp = table;
        next = addr;
        end = addr + PudSize;
        do
        {
            if (PmdPresent(PmdpGet(pmdp)))
            {
                /*
                 * PMD has been isolated, so ptdump won't see it. No
                 * need to acquire init_mm.mmap_lock.
                 */
                PmdFreePteTable(pmdp, next, acquireMmapLock: false);
            }

            // } while (pmdp++, next += PMD_SIZE, next != end);
            pmdp++;
            next += PmdSize;
        }
        while (next != end);

        PmdFree(table);
        return 1;
    }

    /// <summary><c>arm64_ptdump_walk_pgd(st, mm)</c>: the walk, bracketed by the counted key.</summary>
    public static void Arm64PtdumpWalkPgd(PtdumpState st, MmStruct mm)
    {
        StaticBranchInc(Arm64PtdumpLockKey);
        PtdumpWalkPgd(st, mm);
        StaticBranchDec(Arm64PtdumpLockKey);
    }

    /// <summary><c>ptdump_check_wx()</c> on arm64: the W+X walk through <see cref="Arm64PtdumpWalkPgd"/>.</summary>
    public static bool PtdumpCheckWx()
    {
        var st = PtdumpState.ForWxCheck();
        Arm64PtdumpWalkPgd(st, InitMm);
        return st.ReportWx();
    }

    private sealed class ArchHooks : IArchTableFreeing
    {
        public int PmdFreePtePage(PmdPtr pmdp, ulong addr) => ProtocolA.PmdFreePtePage(pmdp, addr);

        public int PudFreePmdPage(PudPtr pudp, ulong addr) => PudFreePmdTable(pudp, addr);
    }
}
