using static PtGuard.Analyzers.Tests.Rules.Snippets;
using static PtGuard.Analyzers.Tests.Verifiers.PtGuardTestReferences;
using VerifyCS = PtGuard.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<PtGuard.Analyzers.Rules.PTG0010KeyBracketNotOnAllPathsAnalyzer>;

namespace PtGuard.Analyzers.Tests.Rules;

public class PTG0010KeyBracketNotOnAllPathsTests
{
    [Fact]
    public Task Early_return_inside_the_bracket_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump(PtdumpState? st)
        {
            {|PTG0010:StaticBranchInc(ProtocolA.Arm64PtdumpLockKey)|};
            if (st is null)
                return;
            PtdumpWalkPgd(st, InitMm);
            StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
        }
        """));

    [Fact]
    public Task Throw_inside_the_bracket_without_finally_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump(PtdumpState? st)
        {
            {|PTG0010:StaticBranchInc(ProtocolA.Arm64PtdumpLockKey)|};
            if (st is null)
                throw new System.ArgumentNullException(nameof(st));
            PtdumpWalkPgd(st, InitMm);
            StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
        }
        """));

    [Fact]
    public Task Throw_inside_try_finally_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump(PtdumpState? st)
        {
            StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
            try
            {
                if (st is null)
                    throw new System.ArgumentNullException(nameof(st));
                PtdumpWalkPgd(st, InitMm);
            }
            finally
            {
                StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
            }
        }
        """));

    [Fact]
    public Task Bracket_on_one_branch_only_is_flagged_at_the_walk() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump(PtdumpState st, bool announce)
        {
            if (announce)
                {|PTG0010:StaticBranchInc(ProtocolA.Arm64PtdumpLockKey)|};
            {|PTG0010:PtdumpWalkPgd(st, InitMm)|};
            if (announce)
                StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
        }
        """));

    [Fact]
    public Task Raise_never_lowered_around_a_walk_is_flagged() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump()
        {
            {|PTG0010:StaticBranchInc(ProtocolA.Arm64PtdumpLockKey)|};
            PtdumpWalkPgd(PtdumpState.ForDump(), InitMm);
        }
        """));

    [Fact]
    public Task Helper_that_only_raises_the_key_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Announce() => StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
        """));

    [Fact]
    public Task Balanced_bracket_in_a_loop_is_clean() => VerifyCS.VerifyAnalyzerAsync(Class("""
        public static void Dump(int times)
        {
            for (var i = 0; i < times; i++)
            {
                StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
                PtdumpWalkPgd(PtdumpState.ForDump(), InitMm);
                StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
            }
        }
        """));

    [Fact]
    public Task Without_the_runtime_nothing_is_reported() => VerifyCS.VerifyAnalyzerAsync(WithoutRuntime);
}
