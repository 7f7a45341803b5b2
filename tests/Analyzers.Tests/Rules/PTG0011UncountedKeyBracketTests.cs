using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0011UncountedKeyBracketAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0011UncountedKeyBracketTests
{
    [Fact]
    public Task Enable_disable_bracket_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Arm64PtdumpWalkPgd(PtdumpState st, MmStruct mm)
        {
            {|PTG0011:StaticBranchEnable(ProtocolA.Arm64PtdumpLockKey)|};
            PtdumpWalkPgd(st, mm);
            {|PTG0011:StaticBranchDisable(ProtocolA.Arm64PtdumpLockKey)|};
        }
        """));

    [Fact]
    public Task Counted_bracket_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Arm64PtdumpWalkPgd(PtdumpState st, MmStruct mm)
        {
            StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
            PtdumpWalkPgd(st, mm);
            StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
        }
        """));

    [Fact]
    public Task Enable_of_another_key_is_not_this_rule() => VerifyCS.VerifyAnalyzerAsync(Class("""
        private static readonly StaticKey Tracing = new("tracing_key");

        public static void Trace() => StaticBranchEnable(Tracing);
        """));

    [Fact]
    public Task Enable_in_a_local_function_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump()
        {
            Announce();
            StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);

            static void Announce() => {|PTG0011:StaticBranchEnable(ProtocolA.Arm64PtdumpLockKey)|};
        }
        """));

    [Fact]
    public Task Protocol_b_has_no_walker_key() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump()
        {
            StaticBranchEnable(ProtocolA.Arm64PtdumpLockKey);
            StaticBranchDisable(ProtocolA.Arm64PtdumpLockKey);
        }
        """), "b");

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
