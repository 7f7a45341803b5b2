using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PtGuard.Analyzers.Flow;

/// <summary>Thrown when an analysis exceeds its work budget; the root reports nothing then.</summary>
internal sealed class BudgetExceededException : Exception
{
}

/// <summary>What a callee did, in one caller context.</summary>
internal sealed class CalleeResult
{
    public CalleeResult(FlowState exit, List<Fact> facts, bool returns)
    {
        Exit = exit;
        Facts = facts;
        Returns = returns;
    }

    public FlowState Exit { get; }

    public List<Fact> Facts { get; }

    /// <summary>False when no path returns normally (the call never comes back).</summary>
    public bool Returns { get; }
}

/// <summary>
/// One root analysis: a method body with every helper it reaches analysed in the caller's context (bounded depth,
/// memoised per context). Values are shared, so the callee's "table of pmdp" is the caller's.
/// </summary>
internal sealed class AnalysisSession
{
    public const int MaxDepth = 4;
    private const int MaxBlockVisits = 100_000;
    private readonly Dictionary<IMethodSymbol, List<(FlowState Entry, CalleeResult Result)>> _memo = new(SymbolEqualityComparer.Default);
    private readonly List<IMethodSymbol> _stack = new();
    private int _visits;

    public AnalysisSession(SharedCompilationState shared, Protocol protocol, CancellationToken cancellationToken)
    {
        Shared = shared;
        Known = shared.Known;
        Protocol = protocol;
        CancellationToken = cancellationToken;
    }

    public SharedCompilationState Shared { get; }

    public KnownSymbols Known { get; }

    public Protocol Protocol { get; }

    public CancellationToken CancellationToken { get; }

    public ValueTable Values { get; } = new();

    /// <summary>Frees followed (on some path) by a step they needed before them: (free, step) → the first such late step.</summary>
    public Dictionary<(IOperation Free, string Step), IOperation> LateSteps { get; } = new();

    /// <summary>Records that <paramref name="site"/> does <paramref name="step"/> after <paramref name="free"/> (the first one seen is kept).</summary>
    public void AddLateStep(IOperation free, string step, IOperation site)
    {
        if (!LateSteps.ContainsKey((free, step))) LateSteps[(free, step)] = site;
    }

    /// <summary>Frees followed (on some path) by a derive or clear of an entry inside the freed table: free → the first such use.</summary>
    public Dictionary<IOperation, IOperation> UsesAfterFree { get; } = new();

    /// <summary>Records that <paramref name="use"/> reaches into the table <paramref name="free"/> freed (the first one seen is kept).</summary>
    public void AddUseAfterFree(IOperation free, IOperation use)
    {
        if (!UsesAfterFree.ContainsKey(free)) UsesAfterFree[free] = use;
    }

    /// <summary>Lambdas met while reporting, analysed afterwards as roots of their own.</summary>
    public List<(IFlowAnonymousFunctionOperation Lambda, ControlFlowGraph Owner)> Lambdas { get; } = new();

    public void CountVisit()
    {
        if (++_visits > MaxBlockVisits) throw new BudgetExceededException();
        if ((_visits & 255) == 0) CancellationToken.ThrowIfCancellationRequested();
    }

    public bool OnStack(IMethodSymbol method) => _stack.Exists(m => SymbolEqualityComparer.Default.Equals(m, method));

    public CalleeResult? Remembered(IMethodSymbol method, FlowState entry)
    {
        if (!_memo.TryGetValue(method, out var list)) return null;
        foreach (var (e, r) in list)
        {
            if (e.SameAs(entry)) return r;
        }
        return null;
    }

    public CalleeResult Analyze(IMethodSymbol method, ControlFlowGraph cfg, FlowState entry, int depth, string? lockFreeArgument)
    {
        _stack.Add(method);
        try
        {
            var body = new BodyAnalysis(this, cfg, depth, method, lockFreeArgument, isRoot: false);
            var exit = body.Run(entry.Clone(), report: true);
            var result = new CalleeResult(exit ?? entry, body.Facts, exit is not null);
            if (!_memo.TryGetValue(method, out var list)) _memo[method] = list = new();
            list.Add((entry, result));
            return result;
        }
        finally
        {
            _stack.RemoveAt(_stack.Count - 1);
        }
    }
}
