using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0009WalkWithoutKeyBracketAnalyzer, PtGuard.CodeFixes.Rules.PTG0009WalkWithoutKeyBracketCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0009WalkWithoutKeyBracketTests
{
    public static readonly string Before = Class("""
        public static void Dump(PtdumpState st)
        {
            /* the debugfs dump */
            {|PTG0009:PtdumpWalkPgd(st, InitMm)|};
        }
        """);

    public static readonly string After = Class("""
        public static void Dump(PtdumpState st)
        {
            /* the debugfs dump */
            StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
            try
            {
                PtdumpWalkPgd(st, InitMm);
            }
            finally
            {
                StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
            }
        }
        """);

    [Fact]
    public Task Walk_is_bracketed_with_inc_try_finally_dec() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task Returned_walk_is_bracketed_too() => VerifyCS.VerifyCodeFixAsync(Class("""
        public static bool CheckWx()
        {
            return {|PTG0009:PtdumpCheckWx()|};
        }
        """), Class("""
        public static bool CheckWx()
        {
            StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
            try
            {
                return PtdumpCheckWx();
            }
            finally
            {
                StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
            }
        }
        """));

    [Fact]
    public async Task Fix_all_two_in_one_method_and_across_files()
    {
        var twoInOne = Class("""
            public static void DumpTwice(PtdumpState st)
            {
                {|PTG0009:PtdumpWalkPgd(st, InitMm)|};
                {|PTG0009:PtdumpWalkPgd(st, InitMm)|};
            }
            """, "Two");
        var fixedTwo = Class("""
            public static void DumpTwice(PtdumpState st)
            {
                StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
                try
                {
                    PtdumpWalkPgd(st, InitMm);
                }
                finally
                {
                    StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
                }
                StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
                try
                {
                    PtdumpWalkPgd(st, InitMm);
                }
                finally
                {
                    StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
                }
            }
            """, "Two");
        await new VerifyCS.Test { TestState = { Sources = { twoInOne, Before } }, FixedState = { Sources = { fixedTwo, After } } }.RunAsync();
    }
}
