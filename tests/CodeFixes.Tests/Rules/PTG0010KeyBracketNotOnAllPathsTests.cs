using static PtGuard.CodeFixes.Tests.Rules.Sources;
using VerifyCS = PtGuard.CodeFixes.Tests.Verifiers.CSharpCodeFixVerifier<PtGuard.Analyzers.Rules.PTG0010KeyBracketNotOnAllPathsAnalyzer, PtGuard.CodeFixes.Rules.PTG0010KeyBracketNotOnAllPathsCodeFix>;

namespace PtGuard.CodeFixes.Tests.Rules;

public class PTG0010KeyBracketNotOnAllPathsTests
{
    public static readonly string Before = Class("""
        public static void Dump(PtdumpState? st)
        {
            {|PTG0010:StaticBranchInc(ProtocolA.Arm64PtdumpLockKey)|};
            if (st is null)
                return;
            PtdumpWalkPgd(st, InitMm);
            StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
        }
        """);

    public static readonly string After = Class("""
        public static void Dump(PtdumpState? st)
        {
            StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
            try
            {
                if (st is null)
                    return;
                PtdumpWalkPgd(st, InitMm);
            }
            finally
            {
                StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
            }
        }
        """);

    [Fact]
    public Task Early_return_gets_the_decrement_in_a_finally() => VerifyCS.VerifyCodeFixAsync(Before, After);

    [Fact]
    public Task Walk_on_a_path_without_the_key_gets_its_own_bracket()
    {
        // The conditional raise stays reported (it is not lowered on every path) and has no determinable fix.
        var test = new VerifyCS.Test
        {
            TestCode = Class("""
                public static void Dump(PtdumpState st, bool announce)
                {
                    if (announce)
                        {|PTG0010:StaticBranchInc(ProtocolA.Arm64PtdumpLockKey)|};
                    {|PTG0010:PtdumpWalkPgd(st, InitMm)|};
                    if (announce)
                        StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
                }
                """),
            FixedState =
            {
                Sources =
                {
                    Class("""
                    public static void Dump(PtdumpState st, bool announce)
                    {
                        if (announce)
                            {|PTG0010:StaticBranchInc(ProtocolA.Arm64PtdumpLockKey)|};
                        StaticBranchInc(ProtocolA.Arm64PtdumpLockKey);
                        try
                        {
                            PtdumpWalkPgd(st, InitMm);
                        }
                        finally
                        {
                            StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
                        }
                        if (announce)
                            StaticBranchDec(ProtocolA.Arm64PtdumpLockKey);
                    }
                    """),
                },
                MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow,
            },
        };
        return test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_across_files()
    {
        var other = Before.Replace("Sample", "Other");
        await new VerifyCS.Test { TestState = { Sources = { other, Before } }, FixedState = { Sources = { After.Replace("Sample", "Other"), After } } }.RunAsync();
    }
}
