namespace PtGuard.Analyzers;

/// <summary>
/// Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/>: what a code fix needs to insert or move a
/// step without re-running the flow analysis. Expression texts are C# as written at the free's site; positions are
/// <see cref="Microsoft.CodeAnalysis.Text.TextSpan.Start"/> values in the diagnostic's own document, present only
/// when the step is in the reported method's body (not inside a called helper, see <see cref="ViaCall"/>).
/// </summary>
public static class DiagnosticPropertyKeys
{
    /// <summary>The freed table's expression (<c>table</c> in <c>PteFreeKernel(table)</c>).</summary>
    public const string Table = "Table";

    /// <summary>The entry the freed table was derived from (<c>pmdp</c> in <c>PteOffsetKernel(pmdp, addr)</c>).</summary>
    public const string Entry = "Entry";

    /// <summary>The address the table covers (<c>addr</c> in <c>PteOffsetKernel(pmdp, addr)</c>): the walk-cache flush's argument.</summary>
    public const string Address = "Address";

    /// <summary>The entry that was cleared instead of <see cref="Entry"/> (PTG0001 only).</summary>
    public const string ClearedInstead = "ClearedInstead";

    /// <summary>Fully qualified name of the type declaring the walker key (<c>PtGuard.Runtime.Reference.ProtocolA</c>).</summary>
    public const string WalkerKeyType = "WalkerKeyType";

    /// <summary>Name of the walker-key field or property (<c>Arm64PtdumpLockKey</c>).</summary>
    public const string WalkerKeyMember = "WalkerKeyMember";

    /// <summary>The step that is missing or misplaced: one of <see cref="StepNames"/>.</summary>
    public const string Step = "Step";

    /// <summary><c>Missing</c> (insert <see cref="Step"/>) or <c>Misplaced</c> (move it; see <see cref="Before"/>).</summary>
    public const string Problem = "Problem";

    /// <summary>For a misplaced step: the step it must come after being moved (one of <see cref="StepNames"/>).</summary>
    public const string Before = "Before";

    /// <summary>
    /// PTG0005: position of the step named by <see cref="Before"/>, the one the misplaced step must follow (for a free
    /// before a step, the first such step after the free).
    /// </summary>
    public const string BeforePosition = "BeforePosition";

    /// <summary>PTG0008: the bool parameter whose constant <c>false</c> argument skipped the child's own cycle (<c>acquireMmapLock</c>).</summary>
    public const string LockFreeParameter = "LockFreeParameter";

    /// <summary>Position of the free's invocation (PTG0007: of the free the cycle protects).</summary>
    public const string FreePosition = "FreePosition";

    /// <summary>Position of the invocation that derived the table (<c>PteOffsetKernel</c> …).</summary>
    public const string DerivePosition = "DerivePosition";

    /// <summary>Position of the clear of the entry.</summary>
    public const string ClearPosition = "ClearPosition";

    /// <summary>Position of the walk-cache flush (PTG0003: of the leaf-only flush; PTG0007: of the protected free's flush).</summary>
    public const string FlushPosition = "FlushPosition";

    /// <summary>Position of the lock call of the cycle (or of the nested lock, PTG0014).</summary>
    public const string LockPosition = "LockPosition";

    /// <summary>Position of the unlock call that closes the cycle.</summary>
    public const string UnlockPosition = "UnlockPosition";

    /// <summary>Position of the key test guarding the cycle (<c>StaticBranchUnlikely(...)</c>).</summary>
    public const string KeyTestPosition = "KeyTestPosition";

    /// <summary>Position of the walk (PTG0009/PTG0010) or of the key update (PTG0010/PTG0011).</summary>
    public const string WalkPosition = "WalkPosition";

    /// <summary>The mm expression of a lock or walk (<c>InitMm</c>).</summary>
    public const string Mm = "Mm";

    /// <summary>The method called at the reported site when the step is inside that helper.</summary>
    public const string ViaCall = "ViaCall";

    /// <summary>PTG0006's kind of malformation: one of <see cref="MalformedKinds"/>.</summary>
    public const string Malformation = "Malformation";

    /// <summary>The protocol the project is checked under: <c>a</c> or <c>b</c>.</summary>
    public const string Protocol = "Protocol";

    /// <summary>The values of <see cref="Step"/> and <see cref="Before"/>.</summary>
    public static class StepNames
    {
        /// <summary>The clear of the entry.</summary>
        public const string Clear = "Clear";

        /// <summary>The walk-cache flush.</summary>
        public const string Flush = "Flush";

        /// <summary>The key-guarded lock cycle.</summary>
        public const string Cycle = "Cycle";

        /// <summary>The free.</summary>
        public const string Free = "Free";

        /// <summary>The read lock of init_mm held across the free (Protocol B).</summary>
        public const string HeldLock = "HeldLock";

        /// <summary>The walker-key increment before a walk.</summary>
        public const string KeyInc = "KeyInc";

        /// <summary>The walker-key decrement after a walk.</summary>
        public const string KeyDec = "KeyDec";

        /// <summary>The unlock that closes a lock.</summary>
        public const string Unlock = "Unlock";
    }

    /// <summary>The values of <see cref="Malformation"/>.</summary>
    public static class MalformedKinds
    {
        /// <summary>The lock is not released on some path.</summary>
        public const string NoUnlock = "NoUnlock";

        /// <summary>An unlock without a lock.</summary>
        public const string NoLock = "NoLock";

        /// <summary>A write lock where the cycle needs a read lock.</summary>
        public const string WriteLock = "WriteLock";

        /// <summary>The lock of another mm than init_mm.</summary>
        public const string WrongMm = "WrongMm";

        /// <summary>Guarded by a key other than the walker key.</summary>
        public const string WrongKey = "WrongKey";

        /// <summary>Work between the lock and the unlock.</summary>
        public const string WorkInside = "WorkInside";
    }
}
