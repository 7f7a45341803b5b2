using PtGuard.CodeFixes.Tests.Verifiers;

namespace PtGuard.CodeFixes.Tests;

/// <summary>
/// Fix chains end: bodies reduced from the fuzzing campaign on which the fixer once applied its cap of 256 fixes
/// (PTG0001 inserting the same clear after the first derivation while the table reaching the free had been derived
/// again, after a helper derived from the same entry).
/// </summary>
public class ConvergenceTests
{
    private const string Body = """
        using PtGuard.Runtime;
        using static PtGuard.Runtime.Kernel;

        public static class Reduced
        {
            public static void Free(PudPtr pudp, ulong addr, int n)
            {
                var table = PmdOffset(pudp, addr);
                MmapReadLock(InitMm);
                if (n == 0)
                {
                    try
                    {
                        PmdFree(table);
                    }
                    finally
                    {
                        addr += PmdSize;
                        static void Probe(PudPtr pudp, ulong addr)
                        {
                            var other = PmdOffset(pudp, addr);
                        }
                        Probe(pudp, addr);
                    }
                    table = PmdOffset(pudp, addr);
                }
                PmdFree(table);
                MmapReadUnlock(InitMm);
            }
        }
        """;

    [Theory]
    [InlineData("b")]
    [InlineData("a")]
    public async Task A_table_derived_again_after_the_clear_does_not_make_the_fixes_loop(string protocol)
    {
        var document = FixWorkspace.Create(new[] { ("/0/Reduced.cs", Body) }).Documents.Single();
        var result = await DocumentFixer.FixAsync(document, DocumentFixer.FixableIds, null, protocol);
        Assert.InRange(result.Applied.Count, 1, 12);
        var text = (await result.Document.GetTextAsync()).ToString();
        // One clear, right after the derivation of the table that was linked; the table derived again is left to PTG0005.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, @"PudClear\(pudp\);"));
        var left = await DocumentFixer.AnalyzeAsync(result.Document, DocumentFixer.AllIds, protocol);
        Assert.Contains(left, d => d.Id == PtGuard.Analyzers.DiagnosticIds.StepsOutOfOrder);
        Assert.DoesNotContain(left, d => d.Id == PtGuard.Analyzers.DiagnosticIds.MissingClear);
    }
}
