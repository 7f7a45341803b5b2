using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PtGuard.Analyzers;

/// <summary>The runtime's annotation types, resolved once per compilation, and what each method's annotations say.</summary>
internal sealed class KnownSymbols
{
    private const string Ns = "PtGuard.Runtime.";
    private const string RuntimeAssemblyName = "PtGuard.Runtime";
    private static readonly ImmutableHashSet<string> PointerTypeNames = ImmutableHashSet.Create("PgdPtr", "PudPtr", "PmdPtr", "PtePtr");

    private readonly ConcurrentDictionary<IMethodSymbol, MethodSteps> _steps = new(SymbolEqualityComparer.Default);
    private readonly Compilation _compilation;
    private readonly object _walkerKeyLock = new();
    private WalkerKeyName? _walkerKey;
    private bool _walkerKeySearched;

    private KnownSymbols(Compilation compilation) => _compilation = compilation;

    /// <summary>The symbols, or null when the compilation does not see PtGuard.Runtime's annotations.</summary>
    public static KnownSymbols? TryCreate(Compilation compilation)
    {
        if (!MaySeeRuntime(compilation)) return null;
        if (compilation.GetTypeByMetadataName(Ns + "FreesTableAttribute") is null
            || compilation.GetTypeByMetadataName(Ns + "ClearsEntryAttribute") is null)
        {
            return null;
        }
        return new KnownSymbols(compilation);
    }

    /// <summary>
    /// Whether the compilation is PtGuard.Runtime or references it, decided from the references as given
    /// (<see cref="Compilation.ExternalReferences"/>), before any symbol is asked for. <see cref="Compilation.References"/>
    /// and <see cref="Compilation.ReferencedAssemblyNames"/> bind every reference (measured: 50-90 ms in a three-file
    /// project, which ReportAnalyzer charges to whichever analyzer asks first), and a metadata-name lookup walks every
    /// referenced assembly's namespaces: a project without the runtime would pay either in every build for nothing.
    /// Only a reference whose name cannot be read this way (an in-memory image) falls back to binding.
    /// </summary>
    private static bool MaySeeRuntime(Compilation compilation)
    {
        if (compilation.AssemblyName == RuntimeAssemblyName) return true;
        var undetermined = false;
        foreach (var reference in compilation.ExternalReferences)
        {
            switch (reference)
            {
                case PortableExecutableReference { FilePath: { Length: > 0 } path }:
                    if (string.Equals(System.IO.Path.GetFileNameWithoutExtension(path), RuntimeAssemblyName, System.StringComparison.OrdinalIgnoreCase)) return true;
                    break;
                case CompilationReference c:
                    if (c.Compilation.AssemblyName == RuntimeAssemblyName) return true;
                    break;
                default:
                    undetermined = true;
                    break;
            }
        }
        // Annotations compiled from source into an assembly of another name are not looked for: finding them costs a pass
        // over every type name of the compilation (25-35 ms in a 50k-line project without the runtime).
        return undetermined && compilation.ReferencedAssemblyNames.Any(a => a.Name == RuntimeAssemblyName);
    }

    /// <summary>What the annotations on <paramref name="method"/> declare (cached).</summary>
    public MethodSteps StepsOf(IMethodSymbol method) => _steps.GetOrAdd(method.OriginalDefinition, m => MethodSteps.Read(m));

    /// <summary>Whether <paramref name="type"/> is one of the entry-pointer types (<c>PmdPtr</c> …).</summary>
    public static bool IsPointerType(ITypeSymbol? type) =>
        type is INamedTypeSymbol { ContainingNamespace: { Name: "Runtime", ContainingNamespace.Name: "PtGuard" } } t && PointerTypeNames.Contains(t.Name);

    /// <summary>Whether <paramref name="symbol"/> carries <c>[WalkerKey]</c>.</summary>
    public static bool IsWalkerKey(ISymbol symbol) => HasAttribute(symbol, "WalkerKeyAttribute");

    /// <summary>Whether <paramref name="symbol"/> carries <c>[InitMm]</c>.</summary>
    public static bool IsInitMm(ISymbol symbol) => HasAttribute(symbol, "InitMmAttribute");

    /// <summary>The walker key a fix should use: a <c>[WalkerKey]</c> member declared in source, else the runtime's.</summary>
    public WalkerKeyName? WalkerKey
    {
        get
        {
            lock (_walkerKeyLock)
            {
                if (!_walkerKeySearched)
                {
                    _walkerKey = FindWalkerKey(_compilation.Assembly.GlobalNamespace) ?? FromRuntime();
                    _walkerKeySearched = true;
                }
                return _walkerKey;
            }
        }
    }

    internal static bool HasAttribute(ISymbol symbol, string name) =>
        symbol.GetAttributes().Any(a => a.AttributeClass is { } c && c.Name == name && c.ContainingNamespace?.ToDisplayString() == "PtGuard.Runtime");

    private WalkerKeyName? FromRuntime()
    {
        var type = _compilation.GetTypeByMetadataName("PtGuard.Runtime.Reference.ProtocolA");
        var member = type?.GetMembers().FirstOrDefault(IsWalkerKey);
        return member is null ? null : new WalkerKeyName(type!.ToDisplayString(), member.Name);
    }

    private static WalkerKeyName? FindWalkerKey(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            switch (member)
            {
                case INamespaceOrTypeSymbol nested:
                    if (FindWalkerKey(nested) is { } found) return found;
                    break;
                case IFieldSymbol or IPropertySymbol when IsWalkerKey(member):
                    return new WalkerKeyName(member.ContainingType.ToDisplayString(), member.Name);
            }
        }
        return null;
    }
}

/// <summary>A walker key's declaring type and member, for code fixes.</summary>
internal sealed record WalkerKeyName(string Type, string Member)
{
    /// <summary>C# that names the key (<c>ProtocolA.Arm64PtdumpLockKey</c>).</summary>
    public string Expression => Type.Substring(Type.LastIndexOf('.') + 1) + "." + Member;
}

/// <summary>Lock modes as the runtime's <c>LockMode</c> enum numbers them.</summary>
internal enum LockMode
{
    Shared = 0,
    Exclusive = 1,
}

/// <summary>Key updates as the runtime's <c>StaticKeyUpdate</c> enum numbers them.</summary>
internal enum KeyUpdate
{
    Inc = 0,
    Dec = 1,
    Enable = 2,
    Disable = 3,
}

/// <summary>The steps one method performs according to its annotations; parameter positions are ordinals, -1 for none.</summary>
internal sealed class MethodSteps
{
    public static readonly MethodSteps None = new();

    /// <summary>A lock attribute without an mm parameter: the lock of <c>InitMm</c>.</summary>
    public const int ImplicitInitMm = -2;

    public int Clears { get; private set; } = -1;

    public int FlushesWalkCache { get; private set; } = -1;

    public int FlushesLeafOnly { get; private set; } = -1;

    public int Frees { get; private set; } = -1;

    public int TableOfEntry { get; private set; } = -1;

    public int TableOfAddress { get; private set; } = -1;

    public int KeyTest { get; private set; } = -1;

    public int KeyUpdateKey { get; private set; } = -1;

    public KeyUpdate KeyUpdate { get; private set; }

    public int Acquires { get; private set; } = -1;

    public int Releases { get; private set; } = -1;

    public int TryAcquires { get; private set; } = -1;

    public LockMode LockMode { get; private set; }

    public bool Walks { get; private set; }

    /// <summary>The walked mm's parameter; -1 means <c>InitMm</c>.</summary>
    public int WalkMm { get; private set; } = -1;

    public bool RequiresLock { get; private set; }

    /// <summary>The mm parameter of <c>[RequiresLock]</c>; -1 means <c>InitMm</c>.</summary>
    public int RequiresMm { get; private set; } = -1;

    /// <summary>Whether the method carries <c>[CyclesLock]</c>: it takes and drops a lock inside.</summary>
    public bool CyclesLock { get; private set; }

    /// <summary>The mm parameter of <c>[CyclesLock]</c>; -1 means <c>InitMm</c>.</summary>
    public int CycleMm { get; private set; } = -1;

    /// <summary>The <c>bool</c> parameter that gates the cycle (<c>acquireMmapLock</c>); -1 means always.</summary>
    public int CycleCondition { get; private set; } = -1;

    /// <summary>Whether the method is a protocol primitive (its annotations say what it does; its body is not read).</summary>
    public bool IsPrimitive =>
        Clears >= 0 || FlushesWalkCache >= 0 || FlushesLeafOnly >= 0 || Frees >= 0 || TableOfEntry >= 0 || KeyTest >= 0
        || KeyUpdateKey >= 0 || Acquires != -1 || Releases != -1 || TryAcquires != -1 || Walks;

    public static MethodSteps Read(IMethodSymbol method)
    {
        MethodSteps? steps = null;
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is not { } cls || cls.ContainingNamespace?.ToDisplayString() != "PtGuard.Runtime") continue;
            var args = attribute.ConstructorArguments;
            string? Name(int i) => i < args.Length ? args[i].Value as string : null;
            int Int(int i) => i < args.Length && args[i].Value is int v ? v : 0;
            int Param(string? name) => name is null ? -1 : method.Parameters.FirstOrDefault(p => p.Name == name)?.Ordinal ?? -1;
            int MmParam(string? name) => name is null ? ImplicitInitMm : Param(name);
            string? Named(string key) => attribute.NamedArguments.FirstOrDefault(n => n.Key == key).Value.Value as string;
            steps ??= new MethodSteps();
            switch (cls.Name)
            {
                case "ClearsEntryAttribute": steps.Clears = Param(Name(0)); break;
                case "FlushesWalkCacheAttribute": steps.FlushesWalkCache = Param(Name(0)); break;
                case "FlushesLeafOnlyAttribute": steps.FlushesLeafOnly = Param(Name(0)); break;
                case "FreesTableAttribute": steps.Frees = Param(Name(0)); break;
                case "TableOfAttribute":
                    steps.TableOfEntry = Param(Name(0));
                    steps.TableOfAddress = Named("Address") is { } address
                        ? Param(address)
                        : method.Parameters.FirstOrDefault(p => p.Type.SpecialType == SpecialType.System_UInt64)?.Ordinal ?? -1;
                    break;
                case "StaticKeyTestAttribute": steps.KeyTest = Param(Name(0)); break;
                case "UpdatesStaticKeyAttribute":
                    steps.KeyUpdate = (KeyUpdate)Int(0);
                    steps.KeyUpdateKey = Param(Name(1));
                    break;
                case "AcquiresLockAttribute":
                    steps.LockMode = (LockMode)Int(0);
                    steps.Acquires = MmParam(Name(1));
                    break;
                case "ReleasesLockAttribute":
                    steps.LockMode = (LockMode)Int(0);
                    steps.Releases = MmParam(Name(1));
                    break;
                case "TryAcquiresLockAttribute":
                    steps.LockMode = (LockMode)Int(0);
                    steps.TryAcquires = MmParam(Name(1));
                    break;
                case "WalksPageTablesAttribute":
                    steps.Walks = true;
                    steps.WalkMm = Param(Name(0));
                    break;
                case "CyclesLockAttribute":
                    steps.CyclesLock = true;
                    steps.LockMode = (LockMode)Int(0);
                    steps.CycleMm = Param(Named("Mm"));
                    steps.CycleCondition = Param(Named("Condition"));
                    break;
                case "RequiresLockAttribute":
                    steps.RequiresLock = true;
                    steps.LockMode = (LockMode)Int(0);
                    foreach (var named in attribute.NamedArguments)
                    {
                        if (named.Key == "Mm") steps.RequiresMm = Param(named.Value.Value as string);
                    }
                    break;
            }
        }
        return steps ?? None;
    }
}
