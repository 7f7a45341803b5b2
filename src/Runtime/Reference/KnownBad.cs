using static PtGuard.Runtime.Kernel;

namespace PtGuard.Runtime.Reference;

/// <summary>
/// The freeing and walking orders the kernel's history shows to be wrong, kept for the explorer to convict
/// and for the analyzers to flag. Each class names the version it reproduces.
/// </summary>
public static class KnownBad
{
    /// <summary>
    /// arm64 before the patch: PTE tables freed while the PMD table is still linked (the PUD is cleared last), no
    /// lock and no key; ptdump walks without announcing itself. Unsafe under any memory model.
    /// </summary>
    public static class PrePatch
    {
        /// <summary>These functions as the architecture hooks.</summary>
        public static IArchTableFreeing Arch { get; } = new Hooks(PmdFreePtePage, PudFreePmdPage);

        /// <summary>Pre-patch <c>pmd_free_pte_page</c>: clear, flush, free.</summary>
        public static int PmdFreePtePage(PmdPtr pmdp, ulong addr)
        {
            PtePtr table;
            Pmd pmd;

            pmd = PmdpGet(pmdp);

            if (!PmdTable(pmd))
            {
                VmWarnOn(!PmdLeaf(pmd));
                return 1;
            }

            table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
            return 1;
        }

        /// <summary>Pre-patch <c>pud_free_pmd_page</c>: frees the children first, clears the PUD last.</summary>
        public static int PudFreePmdPage(PudPtr pudp, ulong addr)
        {
            PmdPtr table;
            PmdPtr pmdp;
            Pud pud;
            ulong next, end;

            pud = PudpGet(pudp);

            if (!PudTable(pud))
            {
                VmWarnOn(!PudLeaf(pud));
                return 1;
            }

            table = PmdOffset(pudp, addr);
            pmdp = table;
            next = addr;
            end = addr + PudSize;
            do
            {
                PmdFreePtePage(pmdp, next);
                pmdp++;
                next += PmdSize;
            }
            while (next != end);

            PudClear(pudp);
            FlushTlbKernelPgtable(addr);
            PmdFree(table);
            return 1;
        }
    }

    /// <summary>
    /// v5 of the patch: the walker switches the key with <c>static_branch_enable/disable</c>. Two walkers (ptdump and
    /// check_wx) overlap; the first to finish switches the key off while the second still walks, so the freer
    /// skips the lock cycle and frees under it.
    /// </summary>
    public static class V5EnableDisable
    {
        /// <summary>v5 <c>arm64_ptdump_walk_pgd</c>.</summary>
        public static void Arm64PtdumpWalkPgd(PtdumpState st, MmStruct mm)
        {
            StaticBranchEnable(ProtocolA.Arm64PtdumpLockKey);
            PtdumpWalkPgd(st, mm);
            StaticBranchDisable(ProtocolA.Arm64PtdumpLockKey);
        }

        /// <summary>v5 <c>ptdump_check_wx</c>.</summary>
        public static bool PtdumpCheckWx()
        {
            var st = PtdumpState.ForWxCheck();
            Arm64PtdumpWalkPgd(st, InitMm);
            return st.ReportWx();
        }
    }

    /// <summary>
    /// The key test and lock cycle before the flush: clear; test key (and cycle); flush; free. Safe under
    /// sequential consistency, a use-after-free on ARMv8: nothing orders the clear before the key load.
    /// </summary>
    public static class CycleBeforeFlush
    {
        /// <summary>The misordered <c>__pmd_free_pte_page</c>.</summary>
        public static int PmdFreePteTable(PmdPtr pmdp, ulong addr)
        {
            PtePtr table;
            Pmd pmd;

            pmd = PmdpGet(pmdp);
            if (!PmdTable(pmd))
                return 1;

            table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            if (StaticBranchUnlikely(ProtocolA.Arm64PtdumpLockKey))
            {
                MmapReadLock(InitMm);
                MmapReadUnlock(InitMm);
            }
            FlushTlbKernelPgtable(addr);
            PteFreeKernel(table);
            return 1;
        }
    }

    /// <summary>
    /// Protocol A nested inside Protocol B: the 2026 generic caller holds the read lock across the free, and the
    /// arm64 callee still does its lock cycle. With ptdump queued as a writer, the nested read lock waits behind the
    /// writer, which waits for the first read lock: deadlock.
    /// </summary>
    public static class ANestedInB
    {
        /// <summary>Protocol B's <c>vmap_try_huge_pmd</c> calling Protocol A's <c>pmd_free_pte_page</c>.</summary>
        public static int VmapTryHugePmd(PmdPtr pmd, ulong addr, ulong end, ulong physAddr, PgProt prot, int maxPageShift)
        {
            if (maxPageShift < PmdShift || end - addr != PmdSize || (addr & (PmdSize - 1)) != 0 || (physAddr & (PmdSize - 1)) != 0)
                return 0;

            if (PmdPresent(PmdpGet(pmd)))
            {
                int ret;

                if (!MmapReadTrylock(InitMm))
                    return 0;
                ret = ProtocolA.PmdFreePtePage(pmd, addr);
                if (ret != 0)
                    ret = PmdSetHuge(pmd, physAddr, prot);
                MmapReadUnlock(InitMm);
                return ret;
            }

            return PmdSetHuge(pmd, physAddr, prot);
        }
    }

    /// <summary>
    /// A last-level-only flush before freeing a table: <c>flush_tlb_kernel_range</c> (<c>TLBI VAALE1IS</c>) leaves the
    /// walk cache's pointer to the freed PTE table in place, and the hardware walker reads through it.
    /// </summary>
    public static class LeafOnlyFlush
    {
        /// <summary><c>pmd_free_pte_page</c> with a leaf-only flush.</summary>
        public static int PmdFreePtePage(PmdPtr pmdp, ulong addr)
        {
            PtePtr table;
            Pmd pmd;

            pmd = PmdpGet(pmdp);
            if (!PmdTable(pmd))
                return 1;

            table = PteOffsetKernel(pmdp, addr);
            PmdClear(pmdp);
            FlushTlbKernelRange(addr, addr + PmdSize);
            PteFreeKernel(table);
            return 1;
        }
    }

    private sealed class Hooks(Func<PmdPtr, ulong, int> pmd, Func<PudPtr, ulong, int> pud) : IArchTableFreeing
    {
        public int PmdFreePtePage(PmdPtr pmdp, ulong addr) => pmd(pmdp, addr);

        public int PudFreePmdPage(PudPtr pudp, ulong addr) => pud(pudp, addr);
    }
}
