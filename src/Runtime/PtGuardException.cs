namespace PtGuard.Runtime;

/// <summary>
/// Misuse of the runtime's API (a misaligned address, a double free, an unlock without a lock). The message
/// names the object and the operation. Inside an exploration it becomes a violation with a witness.
/// </summary>
public class PtGuardException : Exception
{
    /// <summary>Creates the exception with a message that names the object and the operation.</summary>
    public PtGuardException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a violation kind the explorer reports it as.</summary>
    public PtGuardException(string message, string violationKind)
        : base(message)
    {
        ViolationKind = violationKind;
    }

    /// <summary>How the explorer reports this misuse ("DoubleFree", "LockMisuse"); null for a plain error.</summary>
    public string? ViolationKind { get; }
}
