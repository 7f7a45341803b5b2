using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers.Rules;

namespace PtGuard.Analyzers;

/// <summary>Every PtGuard rule, for hosts that run them without MSBuild (the <c>ptguard check</c> command, tests).</summary>
public static class PtGuardAnalyzers
{
    private static readonly System.Lazy<DiagnosticAnalyzer> LazyCombined = new(() => new PtGuardRulesAnalyzer());

    /// <summary>One instance of each rule, in ID order.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> All { get; } = Create();

    /// <summary>
    /// New instances of every rule. The combined analyzer makes its own: a compiler creates it before anything else
    /// of this assembly is initialised, so it must not depend on this class's static state.
    /// </summary>
    internal static ImmutableArray<DiagnosticAnalyzer> Create() => ImmutableArray.Create<DiagnosticAnalyzer>(
        new PTG0001MissingClearAnalyzer(),
        new PTG0002MissingFlushAnalyzer(),
        new PTG0003LeafOnlyFlushAnalyzer(),
        new PTG0004MissingLockCycleAnalyzer(),
        new PTG0005StepsOutOfOrderAnalyzer(),
        new PTG0006MalformedLockCycleAnalyzer(),
        new PTG0007UnconditionalLockCycleAnalyzer(),
        new PTG0008LockFreeChildNotIsolatedAnalyzer(),
        new PTG0009WalkWithoutKeyBracketAnalyzer(),
        new PTG0010KeyBracketNotOnAllPathsAnalyzer(),
        new PTG0011UncountedKeyBracketAnalyzer(),
        new PTG0012FreeNotUnderReadLockAnalyzer(),
        new PTG0013TrylockResultIgnoredAnalyzer(),
        new PTG0014NestedReadLockAnalyzer());

    /// <summary>All of them as one analyzer, as a build runs them (one callback per method instead of fourteen).</summary>
    public static DiagnosticAnalyzer Combined => LazyCombined.Value;

    /// <summary>The <c>.editorconfig</c> key choosing the protocol (<c>a</c> or <c>b</c>).</summary>
    public const string ProtocolOptionKey = ProtocolOptions.EditorConfigKey;
}
