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
    private readonly ConcurrentDictionary<IMethodSymbol, BodyShape> _shapes = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(ISymbol, Protocol), Lazy<MethodReport>> _reports = new();
    private readonly ConcurrentDictionary<ISymbol, Lazy<bool>> _mentions = new(SymbolEqualityComparer.Default);
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

    /// <summary>
    /// Whether the block's owner calls anything annotated, directly or through helpers (computed once for all fourteen
    /// rules, before they read any option): nearly every method of a project does not, and costs no more than this.
    /// </summary>
    public bool Mentions(OperationBlockAnalysisContext context)
    {
        var lazy = _mentions.GetOrAdd(context.OwningSymbol, _ => new Lazy<bool>(
            () => context.OperationBlocks.Any(b => RootAnalysis.IsGraphRoot(b) && RootAnalysis.Mentions(this, b, context.CancellationToken)),
            LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }

    /// <summary>The analysis of one operation block's owner, computed at most once per protocol.</summary>
    public MethodReport ReportFor(OperationBlockAnalysisContext context, Protocol protocol)
    {
        var lazy = _reports.GetOrAdd((context.OwningSymbol, protocol), key => new Lazy<MethodReport>(
            () => RootAnalysis.Analyze(this, key.Item1, context.OperationBlocks, context.GetControlFlowGraph, key.Item2, context.CancellationToken),
            LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }

    /// <summary>
    /// Whether <paramref name="method"/>'s body, or a helper it calls at most <paramref name="depth"/> calls down, calls
    /// something annotated. Only such helpers are analysed at their calls; the rest cannot change any typestate.
    /// </summary>
    public bool ReachesSteps(IMethodSymbol method, int depth, CancellationToken cancellationToken)
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var frontier = new List<IMethodSymbol> { method.OriginalDefinition };
        for (var level = 0; level <= depth && frontier.Count > 0; level++)
        {
            var next = new List<IMethodSymbol>();
            foreach (var m in frontier)
            {
                if (!seen.Add(m)) continue;
                var shape = ShapeOf(m, cancellationToken);
                if (shape.CallsSteps) return true;
                next.AddRange(shape.Helpers);
            }
            frontier = next;
        }
        return false;
    }

    /// <summary>What a body calls: whether anything annotated, and which helpers with a body.</summary>
    public BodyShape ShapeOf(IOperation body)
    {
        var callsSteps = false;
        var helpers = new List<IMethodSymbol>();
        foreach (var op in body.DescendantsAndSelf())
        {
            if (op is not IInvocationOperation inv) continue;
            var target = inv.TargetMethod.OriginalDefinition;
            if (Known.StepsOf(target) != MethodSteps.None) callsSteps = true;
            // A local function's body is inside this one (its calls were just seen); reading it again as a helper
            // would bind the whole enclosing method a second time.
            else if (target.MethodKind != MethodKind.LocalFunction && target.DeclaringSyntaxReferences.Length > 0) helpers.Add(target);
        }
        return new BodyShape(callsSteps, helpers);
    }

    private BodyShape ShapeOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_shapes.TryGetValue(method, out var known)) return known;
        var shape = BodyShape.Empty;
        var target = method.PartialImplementationPart ?? method;
        if (target.DeclaringSyntaxReferences.Length > 0)
        {
            var syntax = target.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            if (_compilation.ContainsSyntaxTree(syntax.SyntaxTree) && ModelOf(syntax.SyntaxTree).GetOperation(syntax, cancellationToken) is { } body)
            {
                shape = ShapeOf(body);
            }
        }
        _shapes.TryAdd(method, shape);
        return shape;
    }

#pragma warning disable RS1030 // A helper in another tree has no semantic model in this callback; one per tree is cached.
    private SemanticModel ModelOf(SyntaxTree tree) => _models.GetOrAdd(tree, t => _compilation.GetSemanticModel(t));
#pragma warning restore RS1030

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
        var operation = ModelOf(syntax.SyntaxTree).GetOperation(syntax, cancellationToken);
        return operation switch
        {
            IMethodBodyOperation body => ControlFlowGraph.Create(body, cancellationToken),
            IConstructorBodyOperation ctor => ControlFlowGraph.Create(ctor, cancellationToken),
            _ => null,
        };
    }
}

/// <summary>What a body calls, for deciding whether it needs the flow analysis at all.</summary>
internal sealed class BodyShape
{
    public static readonly BodyShape Empty = new(false, new List<IMethodSymbol>());

    public BodyShape(bool callsSteps, IReadOnlyList<IMethodSymbol> helpers)
    {
        CallsSteps = callsSteps;
        Helpers = helpers;
    }

    /// <summary>The body calls a method with a PtGuard annotation.</summary>
    public bool CallsSteps { get; }

    /// <summary>Methods with a body in this compilation that the body calls.</summary>
    public IReadOnlyList<IMethodSymbol> Helpers { get; }
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
