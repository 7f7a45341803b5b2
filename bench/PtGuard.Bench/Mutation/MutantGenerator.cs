using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PtGuard.Bench.Mutation;

/// <summary>One mutant: a whole reference class with one step deleted or moved, renamed so that it compiles beside the original.</summary>
internal sealed record Mutant(string Id, string Protocol, string SourceFile, string Class, string Method, string Mutation, string Source)
{
    /// <summary>The mutant class's name (the original class name with the id appended).</summary>
    public string MutantClass => $"{Class}_{Id.Replace('-', '_')}";
}

/// <summary>
/// Mutates the reference implementations (<c>src/Runtime/Reference</c>) at the source level, as issue 7's kill-rate
/// experiment asks: in every method, each protocol step is deleted, and each step is moved after the next step of
/// the same block (for adjacent steps, a swap). A step is a statement that calls one of the kernel operations the
/// protocols are made of (clear, flush, free, lock, key update, set huge, walk), an <c>if</c> around a key test or a
/// trylock or around such a call, or a loop around one. The source of each mutant is what both halves judge: the
/// explorer runs it, the analyzer reads it.
/// </summary>
internal static class MutantGenerator
{
    private static readonly HashSet<string> StepCalls = new(StringComparer.Ordinal)
    {
        "PmdClear", "PudClear", "PteClear",
        "FlushTlbKernelPgtable", "FlushTlbKernelRange",
        "PteFreeKernel", "PmdFree", "PudFree",
        "MmapReadLock", "MmapReadUnlock", "MmapReadTrylock", "MmapWriteLock", "MmapWriteUnlock",
        "StaticBranchInc", "StaticBranchDec", "StaticBranchEnable", "StaticBranchDisable", "StaticBranchUnlikely",
        "PmdSetHuge", "PudSetHuge",
        "PtdumpWalkPgd",
        "PmdFreePteTable", "PmdFreePtePage", "PudFreePmdPage", "PudFreePmdTable",
    };

    /// <summary>The unmutated class, renamed like a mutant: the harness must find it safe.</summary>
    public static Mutant Baseline(string path, string className, string protocol, string id) =>
        new(id, protocol, path, className, "-", "none (baseline)", Rename(CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetCompilationUnitRoot(), className, $"{className}_{id}").ToFullString());

    public static IEnumerable<Mutant> Generate(string path, string className, string protocol, string idPrefix)
    {
        var root = CSharpSyntaxTree.ParseText(File.ReadAllText(path)).GetCompilationUnitRoot();
        var cls = root.DescendantNodes().OfType<ClassDeclarationSyntax>().Single(c => c.Identifier.Text == className);
        var n = 0;
        foreach (var method in cls.Members.OfType<MethodDeclarationSyntax>().Where(m => m.Body is not null))
        {
            foreach (var block in method.Body!.DescendantNodesAndSelf().OfType<BlockSyntax>())
            {
                var statements = block.Statements;
                var steps = Enumerable.Range(0, statements.Count).Where(i => IsStep(statements[i])).ToList();
                foreach (var i in steps)
                {
                    var mutated = block.WithStatements(statements.RemoveAt(i));
                    yield return Make(++n, $"delete `{Describe(statements[i])}`", block, mutated);
                }
                for (var k = 0; k + 1 < steps.Count; k++)
                {
                    var (i, j) = (steps[k], steps[k + 1]);
                    // Move step i to just after step j: "do j first". For adjacent steps this is a swap.
                    var list = statements.RemoveAt(i).Insert(j, statements[i]);
                    yield return Make(++n, $"move `{Describe(statements[i])}` after `{Describe(statements[j])}`", block, block.WithStatements(list));
                }
            }

            Mutant Make(int number, string mutation, BlockSyntax original, BlockSyntax mutated)
            {
                var id = $"{idPrefix}{number:00}";
                var changed = root.ReplaceNode(original, mutated);
                var source = Rename(changed, className, $"{className}_{id}").ToFullString();
                return new Mutant(id, protocol, path, className, method.Identifier.Text, mutation, source);
            }
        }
    }

    private static bool IsStep(StatementSyntax s) => s switch
    {
        ExpressionStatementSyntax e => CallsStep(e.Expression is AssignmentExpressionSyntax a ? a.Right : e.Expression),
        IfStatementSyntax i => CallsStep(i.Condition) || i.Statement.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(IsStepCall),
        DoStatementSyntax or WhileStatementSyntax or ForStatementSyntax or ForEachStatementSyntax =>
            s.DescendantNodes().OfType<InvocationExpressionSyntax>().Any(IsStepCall),
        _ => false,
    };

    private static bool CallsStep(ExpressionSyntax e) => e.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(IsStepCall);

    private static bool IsStepCall(InvocationExpressionSyntax call) => call.Expression switch
    {
        IdentifierNameSyntax id => StepCalls.Contains(id.Identifier.Text),
        MemberAccessExpressionSyntax m => StepCalls.Contains(m.Name.Identifier.Text),
        _ => false,
    };

    private static string Describe(StatementSyntax s)
    {
        var text = s is IfStatementSyntax i ? $"if ({i.Condition}) ..." : s is DoStatementSyntax ? "do { ... } while (...)" : s.ToString();
        return string.Join(' ', text.Split((char[])['\r', '\n', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Renames the class (and every reference to it, such as <c>ProtocolA.PmdFreePtePage</c> in its hooks).</summary>
    private static SyntaxNode Rename(SyntaxNode root, string from, string to) =>
        root.ReplaceTokens(
            root.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken) && t.Text == from),
            (t, _) => SyntaxFactory.Identifier(t.LeadingTrivia, to, t.TrailingTrivia));
}
