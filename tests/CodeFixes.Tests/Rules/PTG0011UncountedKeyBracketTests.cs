using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0011UncountedKeyBracketAnalyzer, PtGuard.CodeFixes.Rules.PTG0011UncountedKeyBracketCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0011UncountedKeyBracketTests
{
    /// <summary>KnownBad.V5EnableDisable: both the raise and the lower are uncounted (two diagnostics in one method).</summary>
    public static readonly string Before = Class("""
        public static void Arm64PtdumpWalkPgd(PtdumpState st, MmStruct mm)
        {
            {|PTG0011:StaticBranchEnable(ProtocolA.Arm64PtdumpLockKey)|};
            PtdumpWalkPgd(st, mm);
            {|PTG0011:Kernel.StaticBranchDisable(ProtocolA.Arm64PtdumpLockKey)|};
        }
        """);

    public static readonly string After = Class("""
        public static void Arm64PtdumpWalkPgd(PtdumpState st, MmStruct mm)
        {
            StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
            PtdumpWalkPgd(st, mm);
            Kernel.StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
        }
        """);

    [Fact]
    public Task Enable_and_disable_become_inc_and_dec() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var other = Before.Replace("Sample", "Other");
        await new VerifyCS.Test { TestState = { Sources = { other, Before } }, FixedState = { Sources = { After.Replace("Sample", "Other"), After } } }.RunAsync();
    }
}
