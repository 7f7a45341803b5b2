using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime;

/// <summary>
/// The arm64 kernel's page-table API, on emulated memory: <c>using static PtGuard.Runtime.Kernel;</c> and write
/// the kernel's code with PascalCase names. Every function runs on the calling virtual CPU (see
/// <see cref="Cpu"/>); each carries the annotation the analyzers key on, so a wrapper of your own joins the
/// protocol by carrying the same one.
/// </summary>
public static partial class Kernel
{
    /// <summary><c>PAGE_SIZE</c>.</summary>
    public const ulong PageSize = 4096;

    /// <summary><c>PMD_SIZE</c> of the running scenario's geometry (2 MiB in the kernel's).</summary>
    public static ulong PmdSize => KernelMachine.CurrentGeometry.PmdSize;

    /// <summary><c>PUD_SIZE</c> of the running scenario's geometry (1 GiB in the kernel's).</summary>
    public static ulong PudSize => KernelMachine.CurrentGeometry.PudSize;

    /// <summary><c>PMD_SHIFT</c> of the running scenario's geometry (21 in the kernel's).</summary>
    public static int PmdShift => KernelMachine.CurrentGeometry.PmdShift;

    /// <summary><c>PUD_SHIFT</c> of the running scenario's geometry (30 in the kernel's).</summary>
    public static int PudShift => KernelMachine.CurrentGeometry.PudShift;

    /// <summary><c>PGDIR_SIZE</c> of the running scenario's geometry.</summary>
    public static ulong PgdirSize => KernelMachine.CurrentGeometry.PgdSize;

    /// <summary><c>init_mm</c>: the kernel's address space.</summary>
    [InitMm]
    public static MmStruct InitMm { get; } = new("init_mm", 0);

    /// <summary><c>VM_WARN_ON(condition)</c>: a debugging warning; returns the condition, changes nothing.</summary>
    public static bool VmWarnOn(bool condition) => condition;

    /// <summary><c>PAGE_KERNEL</c>.</summary>
    public static PgProt PageKernel => PgProt.PageKernel;

    /// <summary><c>PAGE_KERNEL_EXEC</c>.</summary>
    public static PgProt PageKernelExec => PgProt.PageKernelExec;

    /// <summary><c>PAGE_KERNEL_RO</c>.</summary>
    public static PgProt PageKernelRo => PgProt.PageKernelRo;

    /// <summary><c>PAGE_KERNEL_ROX</c>.</summary>
    public static PgProt PageKernelRox => PgProt.PageKernelRox;
}
