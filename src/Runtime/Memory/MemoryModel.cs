namespace PtGuard.Runtime.Memory;

/// <summary>The memory model an exploration runs under.</summary>
public enum MemoryModel
{
    /// <summary>Sequential consistency: every execution is an interleaving of the threads.</summary>
    Sc,

    /// <summary>ARMv8-A as Arm's <c>aarch64.cat</c> defines it for explicit accesses, plus PtGuard's TLBI rule.</summary>
    Arm64,
}
