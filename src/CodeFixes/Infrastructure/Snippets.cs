using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PtGuard.CodeFixes.Infrastructure;

/// <summary>The protocol's fixed pieces of C#, spelled with the names in scope at a position.</summary>
internal static class Snippets
{
    /// <summary><c>if (StaticBranchUnlikely(key)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }</c>, or null when a name is unknown.</summary>
    public static string? KeyedCycle(FixSite site, int position)
    {
        var key = site.WalkerKey(position);
        var mm = site.InitMm(position);
        if (key is null || mm is null || site.Kernel.KeyTest is not { } test || site.Kernel.ReadLock is not { } rdlock || site.Kernel.ReadUnlock is not { } unlock) return null;
        return $"if ({site.Call(test, position)}({key}))\n{{\n    {site.Call(rdlock, position)}({mm});\n    {site.Call(unlock, position)}({mm});\n}}";
    }

    /// <summary>
    /// How the method around <paramref name="at"/> gives up: <c>return;</c>, <c>return false;</c>, <c>return 0;</c> (the
    /// kernel's "not done", as <c>vmap_try_huge_pmd</c>) or <c>return default;</c>; null in a lambda, an accessor, an
    /// async method or an iterator, where an early return means something else.
    /// </summary>
    public static string? GiveUp(FixSite site, SyntaxNode at)
    {
        var body = at.Ancestors().FirstOrDefault(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax);
        if (body is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax)) return null;
        // A return cannot leave a finally clause (CS0157): no determinable way to give up there.
        if (at.Ancestors().TakeWhile(n => n != body).Any(n => n is FinallyClauseSyntax)) return null;
        if (site.Model.GetDeclaredSymbol(body) is not IMethodSymbol method || method.IsAsync || body.DescendantNodes().OfType<YieldStatementSyntax>().Any()) return null;
        if (method.ReturnsVoid) return "return;";
        return method.ReturnType.SpecialType switch
        {
            SpecialType.System_Boolean => "return false;",
            >= SpecialType.System_SByte and <= SpecialType.System_Double => "return 0;",
            _ => "return default;",
        };
    }
}
