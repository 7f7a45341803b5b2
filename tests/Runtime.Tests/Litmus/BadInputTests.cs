using PtGuard.Runtime.Litmus;

namespace PtGuard.Runtime.Tests.Litmus;

/// <summary>Malformed or unsupported litmus input: one <c>file:line: what</c> error, never a crash.</summary>
public class LitmusBadInputTests
{
    private const string Good = """
        AArch64 MP
        {
        0:X1=x; 0:X3=y;
        1:X1=y; 1:X3=x;
        }
         P0          | P1          ;
         MOV W0,#1   | LDR W0,[X1] ;
         STR W0,[X1] | LDR W2,[X3] ;
         MOV W2,#1   |             ;
         STR W2,[X3] |             ;
        exists (1:X0=1 /\ 1:X2=0)
        """;

    public static TheoryData<string, string, int, string> Cases() => new()
    {
        { "unknown instruction", "'FROB W2,#1'", 9, "FROB W2,#1  |" },
        { "lone store-exclusive", "must close an LDXR", 7, "STXR W5,W0,[X1] |" },
        { "exclusive pair", "only LDXR/LDAXR and STXR/STLXR", 7, "LDXP W0,W2,[X1] |" },
        { "bad operand", "not a register", 8, "STR Q0,[X1] |" },
        { "malformed init", "malformed init", 3, "0:X1=x; 0:X3=y; 0:Q1=3;" },
        { "init value", "malformed init value", 3, "0:X1=x; 0:X3=#y;" },
        { "init thread", "does not name a register", 3, "0:X1=x; 0:X3=y; 7:X1=x;" },
        { "arrays", "arrays are not supported", 3, "0:X1=x; 0:X3=y; int v[2]={1,2};" },
        { "malformed condition", "malformed condition", 11, "exists (1:X0=1 /\\ )" },
        { "unbalanced condition", "expected ')'", 11, "exists ((1:X0=1 /\\ 1:X2=0)" },
        { "unknown register", "unknown register '1:X99'", 11, "exists (1:X99=1)" },
        { "unknown thread", "unknown register '2:X0'", 11, "exists (2:X0=1)" },
        { "unknown location", "unknown location 'z'", 11, "exists (z=1)" },
        { "no quantifier", "or the final condition (exists, ~exists, forall)", 11, "(1:X0=1)" },
        { "undefined label", "undefined label 'Lnowhere'", 8, "CBZ W0,Lnowhere |" },
        { "variant", "unsupported variant 'Mixed'", 2, "Variant=Mixed\n{" },
        { "architecture", "unsupported architecture 'X86'", 1, "X86 MP" },
        { "comment", "unterminated comment", 6, " P0 (* oops     | P1          ;" },
        { "label without ifetch", "Variant=Ifetch", 3, "0:X1=x; 0:X3=y; 0:X5=label:\"P1:L0\";" },
        { "too many columns", "columns", 7, " MOV W0,#1   | LDR W0,[X1] | NOP ;" },
    };

    /// <summary>Breaks line <paramref name="line"/> of <see cref="Good"/> (for a table row: P0's cell) with <paramref name="replacement"/>.</summary>
    private static string Break(int line, string replacement)
    {
        var lines = Good.Split('\n').ToList();
        if (replacement.Contains('\n', StringComparison.Ordinal))
        {
            // Insert before the target line (a meta line before '{').
            lines[line - 1] = replacement;
        }
        else if (line == 9 || line == 8 || line == 7)
        {
            // Replace P0's cell (or the whole row for a column-count case) on that row.
            var cells = lines[line - 1].Split('|');
            lines[line - 1] = replacement.EndsWith(';') ? replacement : replacement.EndsWith('|') ? replacement + cells[1] : replacement;
            if (replacement.StartsWith("CBZ", StringComparison.Ordinal)) lines[line - 1] = " STR W0,[X1] | " + replacement.TrimEnd('|', ' ') + " ;";
        }
        else
        {
            lines[line - 1] = replacement;
        }
        return string.Join('\n', lines);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_input_is_one_file_line_error(string what, string message, int line, string replacement)
    {
        var text = Break(line, replacement);
        var ex = Assert.Throws<LitmusException>(() => LitmusParser.Parse(text, "bad.litmus"));
        Assert.Equal(line, ex.Line);
        Assert.StartsWith($"bad.litmus:{line}: ", ex.Message);
        Assert.Contains(message, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.NotNull(what);
    }

    [Fact]
    public void Pointers_and_typed_registers_parse()
    {
        var t = LitmusParser.Parse("AArch64 P\n{ int x=2; int *p=&x; 0:X2=p; uint32_t 0:X1; }\n P0 ;\n LDR X4,[X2] ;\n LDR W0,[X4] ;\nforall (0:X0=2)\n", "p.litmus");
        Assert.Equal("Allowed", LitmusRunner.Run(t, PtGuard.Runtime.Memory.MemoryModel.Arm64).Verdict);
        Assert.Equal(1, LitmusRunner.Run(t, PtGuard.Runtime.Memory.MemoryModel.Arm64).Matching);
    }

    [Fact]
    public void The_unbroken_text_parses()
    {
        var t = LitmusParser.Parse(Good, "good.litmus");
        Assert.Equal("MP", t.Name);
        Assert.Equal(2, t.ThreadCount);
    }

    [Fact]
    public void A_missing_file_is_a_file_line_error()
    {
        var ex = Assert.Throws<LitmusException>(() => LitmusParser.ParseFile("no/such/file.litmus"));
        Assert.StartsWith("no/such/file.litmus:1: cannot read", ex.Message);
    }

    [Fact]
    public void Empty_file_is_an_error_and_a_test_without_condition_is_forall_true()
    {
        Assert.Contains("empty file", Assert.Throws<LitmusException>(() => LitmusParser.Parse("", "e.litmus")).Message);
        var noCondition = LitmusParser.Parse(Good[..Good.IndexOf("exists", StringComparison.Ordinal)] + "locations [1:X0;]\n", "n.litmus");
        Assert.Equal(LitmusQuantifier.Forall, noCondition.Condition.Quantifier);
        Assert.Equal("true", noCondition.Condition.Text);
    }
}
