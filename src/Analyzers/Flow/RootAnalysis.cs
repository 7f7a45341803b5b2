using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PtGuard.Analyzers.Flow;

/// <summary>
/// Analyses one operation block as the reported body: the method itself, its local functions (judged at their call
/// sites, like private helpers) and its lambdas (judged where they are). Never throws: an internal failure or an
/// exhausted budget yields no facts.
/// </summary>
internal static class RootAnalysis
{
    private const int MaxBoolBindings = 3;

    /// <summary>Sees every internal failure that was swallowed (tests assert there are none).</summary>
    internal static Action<Exception>? InternalErrorObserver { get; set; }

    public static MethodReport Analyze(SharedCompilationState shared, ISymbol owner, ImmutableArray<IOperation> blocks, Func<IOperation, ControlFlowGraph> graphOf, Protocol protocol, CancellationToken cancellationToken)
    {
        try
        {
            var method = owner as IMethodSymbol;
            var facts = new List<Fact>();
            foreach (var block in blocks)
            {
                if (!IsGraphRoot(block) || !Mentions(shared, block, cancellationToken)) continue;
                var cfg = graphOf(block);
                var session = new AnalysisSession(shared, protocol, cancellationToken);
                facts.AddRange(RunBody(session, cfg, method, deferred: method?.DeclaredAccessibility == Accessibility.Private, binding: null));
                foreach (var local in LocalFunctions(cfg))
                {
                    facts.AddRange(RunBody(session, local.Graph, local.Method, deferred: true, binding: null));
                }
                for (var i = 0; i < session.Lambdas.Count && i < 64; i++)
                {
                    var (lambda, ownerGraph) = session.Lambdas[i];
                    var lambdaGraph = ownerGraph.GetAnonymousFunctionControlFlowGraphInScope(lambda, cancellationToken);
                    facts.AddRange(RunBody(session, lambdaGraph, lambda.Symbol, deferred: false, binding: null));
                }
                ApplyLateSteps(session, facts);
                AddUsesAfterFree(session, block, facts);
            }
            return new MethodReport(Deduplicate(facts), protocol, shared.Known.WalkerKey);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            InternalErrorObserver?.Invoke(e);
            // An analyzer must not take the build down: an internal failure or an exhausted budget reports nothing.
            return MethodReport.Empty;
        }
    }

    internal static bool IsGraphRoot(IOperation block) =>
        block is IMethodBodyOperation or IConstructorBodyOperation or IFieldInitializerOperation or IPropertyInitializerOperation
        || (block is IBlockOperation && block.Parent is null or IMethodBodyOperation or IConstructorBodyOperation);

    /// <summary>Whether the block calls anything annotated, directly or through helpers; otherwise there is nothing to check.</summary>
    internal static bool Mentions(SharedCompilationState shared, IOperation block, CancellationToken cancellationToken)
    {
        var shape = shared.ShapeOf(block);
        return shape.CallsSteps || shape.Helpers.Any(h => shared.ReachesSteps(h, AnalysisSession.MaxDepth - 1, cancellationToken));
    }

    private static IEnumerable<(IMethodSymbol Method, ControlFlowGraph Graph)> LocalFunctions(ControlFlowGraph cfg)
    {
        foreach (var local in cfg.LocalFunctions)
        {
            var graph = cfg.GetLocalFunctionControlFlowGraph(local);
            yield return (local, graph);
            foreach (var nested in LocalFunctions(graph)) yield return nested;
        }
    }

    private static List<Fact> RunBody(AnalysisSession session, ControlFlowGraph cfg, IMethodSymbol? method, bool deferred, (IParameterSymbol, bool)? binding)
    {
        var body = new BodyAnalysis(session, cfg, 0, method, null, isRoot: true);
        body.Run(InitialState(session, method, binding), report: true);
        var facts = body.Facts;
        ExitChecks(session, body, method, facts);
        if (method is not null && session.Known.StepsOf(method).IsPrimitive)
        {
            // An annotated method is the step it declares (a wrapper of PtdumpWalkPgd, of PteFreeKernel …): its callers
            // are judged for it, its body is not.
            facts.RemoveAll(f => f is FreeFact or WalkFact);
        }
        if (deferred || method?.MethodKind == MethodKind.LocalFunction)
        {
            // Judged at the call sites, in the caller's context: whether it holds the lock, isolated the table, ...
            facts.RemoveAll(f => f is FreeFact or RequiresLockFact or WalkFact);
        }
        else if (binding is null && method is not null && facts.OfType<FreeFact>().Any())
        {
            DropParameterControlled(session, cfg, method, facts);
        }
        return facts;
    }

    /// <summary>
    /// A free whose lock cycle a bool parameter switches off (<c>acquireMmapLock: false</c>, for a table the caller has
    /// isolated) is the caller's to choose: it is judged at each call with the argument given there, not here. Only
    /// the cycle is the caller's business; a clear or flush that a bool skips is reported here.
    /// </summary>
    private static void DropParameterControlled(AnalysisSession session, ControlFlowGraph cfg, IMethodSymbol method, List<Fact> facts)
    {
        var bools = method.Parameters.Where(p => p.Type.SpecialType == SpecialType.System_Boolean).Take(MaxBoolBindings).ToList();
        if (bools.Count == 0) return;
        var fine = new HashSet<IOperation>();
        foreach (var p in bools)
        {
            foreach (var value in new[] { true, false })
            {
                var trial = new AnalysisSession(session.Shared, session.Protocol, session.CancellationToken);
                var body = new BodyAnalysis(trial, cfg, 0, method, null, isRoot: true);
                body.Run(InitialState(trial, method, (p, value)), report: true);
                var broken = new HashSet<IOperation>(body.Facts.OfType<FreeFact>().Select(f => f.Site));
                foreach (var free in facts.OfType<FreeFact>().Where(f => !broken.Contains(f.Site))) fine.Add(free.Site);
            }
        }
        facts.RemoveAll(f => f is FreeFact { Break: FreeBreak.MissingCycle or FreeBreak.LockFreeNotIsolated } free && fine.Contains(free.Site));
    }

    private static FlowState InitialState(AnalysisSession session, IMethodSymbol? method, (IParameterSymbol Parameter, bool Value)? binding)
    {
        var state = new FlowState();
        if (method is not null && session.Known.StepsOf(method) is { RequiresLock: true } steps)
        {
            var mm = steps.RequiresMm >= 0 && steps.RequiresMm < method.Parameters.Length ? session.Values.Input(method.Parameters[steps.RequiresMm]) : session.Values.InitMm();
            state.Locks[mm] = steps.LockMode == LockMode.Shared
                ? new LockCount { ReadMin = 1, ReadMax = 1 }
                : new LockCount { WriteMin = 1, WriteMax = 1 };
        }
        if (binding is { } b) state.Vars[b.Parameter] = session.Values.Const(b.Value ? 1 : 0);
        return state;
    }

    private static void ExitChecks(AnalysisSession session, BodyAnalysis body, IMethodSymbol? method, List<Fact> facts)
    {
        var exit = body.ExitWithThrows;
        if (exit is null) return;
        // A raise lowered on some paths only is broken; one never lowered is broken when this body also walks (a
        // helper that only raises the key for its caller is not).
        if (session.Protocol == Protocol.A && exit.KeyRaise is { } raise && (exit.KeyMin != exit.KeyMax || (exit.KeyMin > 0 && body.WalkSeen)))
        {
            facts.Add(new UnbalancedKeyFact { Site = raise, PathNote = exit.KeyMin != exit.KeyMax ? body.DescribeExitLoss(s => s.KeyMax <= exit.KeyMin) : "" });
        }
        var steps = method is null ? MethodSteps.None : session.Known.StepsOf(method);
        var lockHelper = steps.Acquires != -1 || steps.TryAcquires != -1 || method?.MethodKind == MethodKind.LocalFunction || method?.DeclaredAccessibility == Accessibility.Private;
        if (lockHelper) return;
        foreach (var open in exit.OpenLocks.Where(o => o.Anchor is null))
        {
            facts.Add(new CycleFact
            {
                Site = open.Site,
                Malformation = DiagnosticPropertyKeys.MalformedKinds.NoUnlock,
                Mm = open.Site is IInvocationOperation inv && inv.Arguments.Length > 0 ? inv.Arguments[0].Value.Syntax.ToString() : "InitMm",
                PathNote = body.DescribeExitLoss(s => !s.OpenLocks.Contains(open)),
            });
        }
    }

    private static void ApplyLateSteps(AnalysisSession session, List<Fact> facts)
    {
        foreach (var free in facts.OfType<FreeFact>())
        {
            bool Late(string step) => session.LateSteps.ContainsKey((free.Site, step));
            free.Break = free.Break switch
            {
                FreeBreak.MissingClear or FreeBreak.ClearedOtherEntry when Late("Clear") => FreeBreak.FreeBeforeClear,
                FreeBreak.MissingFlush when Late("Flush") => FreeBreak.FreeBeforeFlush,
                FreeBreak.MissingCycle when Late("Cycle") => FreeBreak.FreeBeforeCycle,
                var b => b,
            };
            var lateStep = free.Break switch
            {
                FreeBreak.FreeBeforeClear => "Clear",
                FreeBreak.FreeBeforeFlush => "Flush",
                FreeBreak.FreeBeforeCycle => "Cycle",
                _ => null,
            };
            // The code fix moves the free after this step, so it needs to know where the step is.
            if (lateStep is not null && session.LateSteps.TryGetValue((free.Site, lateStep), out var late)) free.LateSite = late;
        }
    }

    /// <summary>
    /// A free of this body whose table is reached into afterwards (<see cref="FreeBreak.FreeBeforeUse"/>), unless the
    /// free is already reported for a step it lacks. Frees inside helpers are judged when the helper is a root.
    /// </summary>
    private static void AddUsesAfterFree(AnalysisSession session, IOperation block, List<Fact> facts)
    {
        foreach (var pair in session.UsesAfterFree)
        {
            var free = pair.Key;
            if (free is not IInvocationOperation call || free.Syntax.SyntaxTree != block.Syntax.SyntaxTree || !block.Syntax.Span.Contains(free.Syntax.Span)) continue;
            if (facts.Exists(f => f is FreeFact ff && ff.Site == free)) continue;
            var ordinal = session.Known.StepsOf(call.TargetMethod).Frees;
            var table = call.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value.Syntax.ToString() ?? "the table";
            facts.Add(new FreeFact { Site = free, Break = FreeBreak.FreeBeforeUse, Table = table, LateSite = pair.Value });
        }
    }

    private static List<Fact> Deduplicate(List<Fact> facts)
    {
        var seen = new HashSet<(Type, IOperation, string)>();
        var result = new List<Fact>();
        foreach (var fact in facts)
        {
            var detail = fact switch
            {
                FreeFact f => f.Break.ToString(),
                CycleFact c => c.Malformation,
                WalkFact w => w.SomePaths.ToString(),
                _ => "",
            };
            if (seen.Add((fact.GetType(), fact.ReportAt, detail))) result.Add(fact);
        }
        return result;
    }
}
