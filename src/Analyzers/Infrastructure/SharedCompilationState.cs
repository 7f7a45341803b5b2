using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using PtGuard.Analyzers.Flow;

namespace PtGuard.Analyzers;

/// <summary>
/// What every PtGuard rule shares within one compilation: the resolved annotations, the helpers' control-flow
/// graphs, and each method's analysis, computed once and read by all fourteen rules.
/// </summary>
internal sealed class SharedCompilationState
{
    private static readonly ConditionalWeakTable<Compilation, StrongBox<SharedCompilationState?>> States = new();
    private readonly ConcurrentDictionary<IMethodSymbol, ControlFlowGraph?> _graphs = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly ConcurrentDictionary<(ISymbol, Protocol), Lazy<MethodReport>> _reports = new();
    private readonly Compilation _compilation;

    private SharedCompilationState(Compilation compilation, KnownSymbols known)
    {
        _compilation = compilation;
        Known = known;
    }

    public KnownSymbols Known { get; }

    /// <summary>The shared state, or null when the compilation does not reference PtGuard.Runtime.</summary>
    public static SharedCompilationState? For(Compilation compilation) =>
        States.GetValue(compilation, c => new StrongBox<SharedCompilationState?>(KnownSymbols.TryCreate(c) is { } k ? new SharedCompilationState(c, k) : null)).Value;

    /// <summary>The analysis of one operation block's owner, computed at most once per protocol.</summary>
    public MethodReport ReportFor(OperationBlockAnalysisContext context, Protocol protocol)
    {
        var lazy = _reports.GetOrAdd((context.OwningSymbol, protocol), key => new Lazy<MethodReport>(
            () => RootAnalysis.Analyze(this, key.Item1, context.OperationBlocks, context.GetControlFlowGraph, key.Item2, context.CancellationToken),
            LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }

    /// <summary>The graph of a helper's body (any tree of this compilation), or null when it has none.</summary>
    public ControlFlowGraph? ControlFlowGraphOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_graphs.TryGetValue(method, out var known)) return known;
        var graph = Build(method, cancellationToken);
        _graphs.TryAdd(method, graph);
        return graph;
    }

    private ControlFlowGraph? Build(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var target = method.PartialImplementationPart ?? method;
        if (target.IsAbstract || target.IsExtern || target.DeclaringSyntaxReferences.Length == 0) return null;
        var syntax = target.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (!_compilation.ContainsSyntaxTree(syntax.SyntaxTree)) return null;
#pragma warning disable RS1030 // A helper in another tree has no semantic model in this callback; one per tree is cached.
        var model = _models.GetOrAdd(syntax.SyntaxTree, t => _compilation.GetSemanticModel(t));
#pragma warning restore RS1030
        var operation = model.GetOperation(syntax, cancellationToken);
        return operation switch
        {
            IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IConstructorBodyOperation ctor => ControlFlowGraph.Create(ctor, cancellationToken),
            _ => null,
        };
    }
}

/// <summary>The facts one method's analysis found, for the rules to report.</summary>
internal sealed class MethodReport
{
    public static readonly MethodReport Empty = new(new List<Fact>(), Protocol.A, null);

    public MethodReport(IReadOnlyList<Fact> facts, Protocol protocol, WalkerKeyName? walkerKey)
    {
        Facts = facts;
        Protocol = protocol;
        WalkerKey = walkerKey;
    }

    public IReadOnlyList<Fact> Facts { get; }

    public Protocol Protocol { get; }

    public WalkerKeyName? WalkerKey { get; }

    public IEnumerable<T> OfType<T>()
        where T : Fact => Facts.OfType<T>();
}
