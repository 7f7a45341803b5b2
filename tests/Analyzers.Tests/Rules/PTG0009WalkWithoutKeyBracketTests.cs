using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0009WalkWithoutKeyBracketAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0009WalkWithoutKeyBracketTests
{
    [Fact]
    public Task Bare_walk_of_init_mm_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump() => {|PTG0009:PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)|};
        """));

    [Fact]
    public Task Bracketed_walk_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump()
        {
            StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
            try
            {
                PtdumpWalkPgd(PtdumpState.ForDump(), InitMm);
            }
            finally
            {
                StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
            }
        }
        """));

    [Fact]
    public Task Wx_check_without_bracket_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static bool Check() => {|PTG0009:PtdumpCheckWx()|};
        """));

    [Fact]
    public Task Walk_through_a_helper_is_flagged_where_init_mm_is_passed() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Walk(MmStruct mm) => PtdumpWalkPgd(PtdumpState.ForDump(), mm);

        public static void Dump() => {|PTG0009:Walk(InitMm)|};
        """));

    [Fact]
    public Task Helper_that_brackets_its_walk_is_clean_at_the_call() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Walk(PtdumpState st, MmStruct mm)
        {
            StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
            PtdumpWalkPgd(st, mm);
            StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
        }

        public static void Dump() => Walk(PtdumpState.ForDump(), InitMm);
        """));

    [Fact]
    public Task Bracket_with_another_key_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        private static readonly StaticKey OtherKey = new("other_key");

        public static void Dump()
        {
            StaticBranchInc(OtherKey);
            {|PTG0009:PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)|};
            StaticBranchDec(OtherKey);
        }
        """));

    [Fact]
    public Task Walk_in_a_lambda_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static readonly System.Action Dump = () => {|PTG0009:PtdumpWalkPgd(PtdumpState.ForDump(), InitMm)|};
        """));

    [Fact]
    public Task Annotated_walk_wrapper_is_judged_at_its_calls_not_in_its_body() => VerifyCS.VerifyAnalyzerAsync(Class("""
        [WalksPageTables]
        public static void DumpKernel() => PtdumpWalkPgd(PtdumpState.ForDump(), InitMm);

        public static void Caller() => {|PTG0009:DumpKernel()|};
        """));

    [Fact]
    public Task Protocol_b_needs_no_bracket() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump() => PtdumpWalkPgd(PtdumpState.ForDump(), InitMm);
        """), "b");

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
