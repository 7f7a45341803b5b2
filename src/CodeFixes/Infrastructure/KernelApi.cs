using System.Linq;
using Microsoft.CodeAnalysis;

namespace PtGuard.CodeFixes.Infrastructure;

/// <summary>
/// The runtime's primitives a fix inserts, found by the same annotations the analyzers key on (so the names come from
/// <c>PtGuard.Runtime.Kernel</c>, never from a hand-typed list that could drift from it).
/// </summary>
internal sealed class KernelApi
{
    public const string KernelTypeName = "PtGuard.Runtime.Kernel";
    private const string RuntimeNamespace = "PtGuard.Runtime";

    // Values of the runtime's LockMode and StaticKeyUpdate enums.
    private const int Shared = 0;
    private const int Inc = 0;
    private const int Dec = 1;

    private KernelApi(INamedTypeSymbol kernel) => Kernel = kernel;

    public INamedTypeSymbol Kernel { get; }

    /// <summary>The API, or null when the compilation does not reference PtGuard.Runtime.</summary>
    public static KernelApi? For(Compilation compilation) =>
        compilation.GetTypeByMetadataName(KernelTypeName) is { } kernel ? new KernelApi(kernel) : null;

    /// <summary>The clear of an entry of type <paramref name="entryType"/> (<c>PmdClear</c> for <c>PmdPtr</c>).</summary>
    public IMethodSymbol? ClearFor(ITypeSymbol? entryType) =>
        entryType is null ? null : Methods().FirstOrDefault(m => Has(m, "ClearsEntryAttribute") && m.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(m.Parameters[0].Type, entryType));

    public IMethodSymbol? WalkCacheFlush => Methods().FirstOrDefault(m => Has(m, "FlushesWalkCacheAttribute") && m.Parameters.Length == 1);

    public IMethodSymbol? KeyTest => Methods().FirstOrDefault(m => Has(m, "StaticKeyTestAttribute"));

    public IMethodSymbol? ReadLock => Methods().FirstOrDefault(m => Mode(m, "AcquiresLockAttribute") == Shared);

    public IMethodSymbol? ReadUnlock => Methods().FirstOrDefault(m => Mode(m, "ReleasesLockAttribute") == Shared);

    public IMethodSymbol? ReadTrylock => Methods().FirstOrDefault(m => Mode(m, "TryAcquiresLockAttribute") == Shared);

    public IMethodSymbol? KeyInc => Methods().FirstOrDefault(m => Mode(m, "UpdatesStaticKeyAttribute") == Inc);

    public IMethodSymbol? KeyDec => Methods().FirstOrDefault(m => Mode(m, "UpdatesStaticKeyAttribute") == Dec);

    /// <summary>The <c>[InitMm]</c> member of the kernel (<c>InitMm</c>).</summary>
    public ISymbol? InitMm => Kernel.GetMembers().FirstOrDefault(m => m is IFieldSymbol or IPropertySymbol && Has(m, "InitMmAttribute"));

    /// <summary>The release matching an acquire's mode.</summary>
    public IMethodSymbol? ReleaseFor(IMethodSymbol acquire)
    {
        var mode = Mode(acquire, "AcquiresLockAttribute");
        return mode is null ? null : Methods().FirstOrDefault(m => Mode(m, "ReleasesLockAttribute") == mode);
    }

    /// <summary>The counted counterpart (Inc for Enable, Dec for Disable) declared beside <paramref name="update"/>.</summary>
    public static IMethodSymbol? CountedCounterpart(IMethodSymbol update)
    {
        var kind = Mode(update, "UpdatesStaticKeyAttribute");
        if (kind is not (2 or 3)) return null;
        var wanted = kind == 2 ? Inc : Dec;
        return update.ContainingType.GetMembers().OfType<IMethodSymbol>()
            .FirstOrDefault(m => Mode(m, "UpdatesStaticKeyAttribute") == wanted && m.Parameters.Length == update.Parameters.Length);
    }

    public static bool Has(ISymbol symbol, string attribute) =>
        symbol.GetAttributes().Any(a => a.AttributeClass is { } c && c.Name == attribute && c.ContainingNamespace?.ToDisplayString() == RuntimeNamespace);

    /// <summary>The first constructor argument (a mode or an update kind) of <paramref name="attribute"/> on <paramref name="symbol"/>.</summary>
    public static int? Mode(ISymbol symbol, string attribute)
    {
        foreach (var a in symbol.GetAttributes())
        {
            if (a.AttributeClass is not { } c || c.Name != attribute || c.ContainingNamespace?.ToDisplayString() != RuntimeNamespace) continue;
            return a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is int v ? v : null;
        }
        return null;
    }

    private System.Collections.Generic.IEnumerable<IMethodSymbol> Methods() => Kernel.GetMembers().OfType<IMethodSymbol>().Where(m => m.MethodKind == MethodKind.Ordinary && m.IsStatic);
}
