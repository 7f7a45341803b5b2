using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PtGuard.Analyzers.Flow;

internal sealed partial class BodyAnalysis
{
    private BasicBlock? _currentBlock;

    /// <summary>A call to a helper with a body in this compilation: analysed in this context, its effects applied here.</summary>
    private int CallHelper(FlowState s, IInvocationOperation invocation, int[] args)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        if (_depth + 1 > AnalysisSession.MaxDepth || _session.OnStack(method)) return Values.Opaque(invocation);
        if (!_session.Shared.ReachesSteps(method, AnalysisSession.MaxDepth - _depth - 1, _session.CancellationToken)) return Values.Opaque(invocation);
        var cfg = method.MethodKind == MethodKind.LocalFunction
            ? LocalFunctionGraph(method)
            : _session.Shared.ControlFlowGraphOf(method, _session.CancellationToken);
        if (cfg is null) return Values.Opaque(invocation);

        var entry = s.Clone();
        entry.Captures.Clear();
        entry.Returned = ValueTable.None;
        string? lockFree = null;
        var constantBool = false;
        foreach (var p in method.Parameters)
        {
            var value = p.Ordinal < args.Length && args[p.Ordinal] != ValueTable.None ? args[p.Ordinal] : Values.Opaque(p);
            entry.Vars[p] = value;
            if (p.Type.SpecialType == SpecialType.System_Boolean && Values[value].Kind == ValueKind.Const)
            {
                constantBool = true;
                if (Values[value].A == 0) lockFree ??= p.Name + ": false";
            }
        }
        var result = _session.Remembered(method, entry) ?? _session.Analyze(method, cfg, entry, _depth + 1, lockFree);

        var after = result.Exit.Clone();
        foreach (var symbol in after.Vars.Keys.Where(k => IsOwnedBy(k, method)).ToList()) after.Vars.Remove(symbol);
        after.Captures = s.Captures;
        after.Returned = s.Returned;
        Reanchor(after.OpenLocks, s.OpenLocks, o => o with { Anchor = invocation });
        Reanchor(after.PendingCycles, s.PendingCycles, c => c with { Anchor = invocation });
        Reanchor(after.PendingTrylocks, s.PendingTrylocks, t => t with { Anchor = invocation });
        var returned = result.Exit.Returned;
        if (result.Returns) s.ReplaceWith(after);

        if (_reporting)
        {
            var calleePrivate = method.MethodKind == MethodKind.LocalFunction || method.DeclaredAccessibility == Accessibility.Private;
            foreach (var fact in result.Facts)
            {
                var propagate = fact switch
                {
                    FreeFact f => calleePrivate || constantBool || args.Contains(f.TableValue),
                    CycleFact c => c.FromCaller,
                    NestedLockFact n => n.FromCaller,
                    WalkFact w => calleePrivate || args.Contains(w.MmValue),
                    RequiresLockFact => calleePrivate,
                    _ => false,
                };
                if (propagate) Facts.Add(fact.AnchoredAt(invocation));
            }
        }
        return returned != ValueTable.None && result.Returns ? returned : Values.Opaque(invocation);
    }

    /// <summary>Where a must fact is lost on the way to the exit.</summary>
    public string DescribeExitLoss(Func<FlowState, bool> holds)
    {
        _currentBlock = _cfg.Blocks[_cfg.Blocks.Length - 1];
        var site = _cfg.OriginalOperation;
        var note = DescribeLoss(site, holds);
        return note;
    }

    /// <summary>The local function's graph, or null when it is not declared in scope (erroneous code).</summary>
    private ControlFlowGraph? LocalFunctionGraph(IMethodSymbol method)
    {
        for (var graph = _cfg; graph is not null; graph = graph.Parent)
        {
            if (graph.LocalFunctions.Contains(method, SymbolEqualityComparer.Default)) return graph.GetLocalFunctionControlFlowGraph(method, _session.CancellationToken);
        }
        return null;
    }

    private static bool IsOwnedBy(ISymbol symbol, IMethodSymbol method)
    {
        for (var c = symbol.ContainingSymbol; c is not null; c = c.ContainingSymbol)
        {
            if (SymbolEqualityComparer.Default.Equals(c, method)) return true;
            if (c is INamedTypeSymbol) return false;
        }
        return false;
    }

    private static void Reanchor<T>(HashSet<T> after, HashSet<T> before, Func<T, T> anchor)
    {
        foreach (var item in after.Where(i => !before.Contains(i)).ToList())
        {
            after.Remove(item);
            after.Add(anchor(item));
        }
    }

    private void Free(FlowState s, int table, IOperation site, IOperation? tableArgument)
    {
        if (table == ValueTable.None) return;
        var entry = Values[table].Container;
        if (entry == ValueTable.None) return;
        var e = s.EntryOf(entry);
        var initMm = Values.InitMm();
        var held = s.LockOf(initMm).HeldOnEveryPath;
        var chain = Values.Chain(entry).ToList();
        var broken = FreeBreak.None;
        Func<FlowState, bool> holds = _ => true;
        string? clearedInstead = null;
        if (e.Hw == HwProgress.None)
        {
            var other = s.Entries.Where(kv => kv.Value.Hw >= HwProgress.Cleared && !chain.Contains(kv.Key) && kv.Value.ClearSite is not null).Select(kv => kv.Value.ClearSite).FirstOrDefault();
            clearedInstead = other is IInvocationOperation otherClear && otherClear.Arguments.Length > 0 ? otherClear.Arguments[0].Value.Syntax.ToString() : null;
            broken = (e.Bits & Misorder.DerivedAfterClear) != 0 ? FreeBreak.DerivedAfterClear
                : clearedInstead is not null ? FreeBreak.ClearedOtherEntry
                : FreeBreak.MissingClear;
            holds = st => st.EntryOf(entry).Hw >= HwProgress.Cleared;
        }
        else if (e.Hw == HwProgress.Cleared)
        {
            broken = (e.Bits & Misorder.LeafOnlyAfterClear) != 0 ? FreeBreak.LeafOnlyFlush
                : (e.Bits & Misorder.FlushBeforeClear) != 0 ? FreeBreak.FlushBeforeClear
                : FreeBreak.MissingFlush;
            holds = st => st.EntryOf(entry).Hw >= HwProgress.Flushed;
        }
        else if (_session.Protocol == Protocol.A)
        {
            var protectedOnEveryPath = chain.Any(c => s.EntryOf(c).Sw == SwProgress.Protected);
            if (!protectedOnEveryPath && !held)
            {
                var malformed = s.PendingCycles.Any(c => c.Malformation != CycleFact.Unguarded);
                broken = (e.Bits & Misorder.CycleBeforeFlush) != 0 ? FreeBreak.CycleBeforeFlush
                    : (e.Bits & Misorder.CycleBeforeClear) != 0 ? FreeBreak.CycleBeforeClear
                    : malformed ? FreeBreak.None
                    : Values.IsChild(entry) || _lockFreeArgument is not null ? FreeBreak.LockFreeNotIsolated
                    : FreeBreak.MissingCycle;
                holds = st => chain.Any(c => st.EntryOf(c).Sw == SwProgress.Protected) || st.LockOf(initMm).HeldOnEveryPath;
            }
        }
        else if (!held)
        {
            broken = s.PendingTrylocks.Count > 0 ? FreeBreak.TrylockIgnored : FreeBreak.NotHeld;
            holds = st => st.LockOf(initMm).HeldOnEveryPath;
        }

        if (_reporting)
        {
            if (_session.Protocol == Protocol.A)
            {
                foreach (var pending in s.PendingCycles)
                {
                    Facts.Add(new CycleFact
                    {
                        Site = pending.Lock,
                        Anchor = pending.Anchor,
                        Malformation = pending.Malformation,
                        Unlock = pending.Unlock,
                        GuardSite = pending.GuardSite,
                        Work = pending.Work,
                        Mm = MmText(pending.Lock),
                        FromCaller = _entryState?.PendingCycles.Contains(pending) == true,
                        ProtectedFree = site,
                        ProtectedFlush = e.Hw == HwProgress.Flushed ? e.FlushSite : null,
                    });
                }
            }
            if (broken != FreeBreak.None)
            {
                var derive = Values[table].Site as IInvocationOperation ?? FindDerivation(entry);
                var deriveSteps = derive is null ? null : _session.Known.StepsOf(derive.TargetMethod);
                var parent = Values.IsChild(entry) ? Values[entry].Container : ValueTable.None;
                Facts.Add(new FreeFact
                {
                    Site = site,
                    Break = broken,
                    Table = tableArgument?.Syntax.ToString() ?? "the table",
                    TableValue = table,
                    Entry = ArgumentText(derive, deriveSteps?.TableOfEntry ?? -1),
                    Address = ArgumentText(derive, deriveSteps?.TableOfAddress ?? -1),
                    ClearedInstead = clearedInstead,
                    ParentEntry = parent == ValueTable.None ? null : ArgumentText(FindDerivation(parent), 0),
                    LockFreeArgument = _lockFreeArgument,
                    DeriveSite = derive,
                    ClearSite = e.ClearSite,
                    FlushSite = e.FlushSite,
                    CycleSite = e.CycleSite,
                    IgnoredTrylocks = s.PendingTrylocks.ToList(),
                    PathNote = DescribeLoss(site, holds),
                });
            }
        }
        s.Freed[new FreedTable(entry, site, Values.AddressOf(entry))] = true;
    }

    private IInvocationOperation? FindDerivation(int entry)
    {
        for (var i = 0; i < Values.Count; i++)
        {
            if (Values[i].Kind == ValueKind.TableOf && Values[i].A == entry && Values[i].Site is IInvocationOperation inv) return inv;
        }
        return null;
    }

    private static string? ArgumentText(IInvocationOperation? call, int ordinal) =>
        call?.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == ordinal)?.Value.Syntax.ToString();

    /// <summary>
    /// Where a must fact is lost on the way to the current block: the nearest join with one predecessor path that has
    /// it and one that does not, described by the losing path's last statement or condition.
    /// </summary>
    private string DescribeLoss(IOperation site, Func<FlowState, bool> holds)
    {
        if (_currentBlock is null) return "";
        var seen = new HashSet<int>();
        var queue = new Queue<BasicBlock>();
        queue.Enqueue(_currentBlock);
        while (queue.Count > 0 && seen.Count < 256)
        {
            var block = queue.Dequeue();
            if (!seen.Add(block.Ordinal)) continue;
            var preds = block.Predecessors.Where(p => EdgeState(p) is not null).ToList();
            var losing = preds.Where(p => !holds(EdgeState(p)!)).ToList();
            if (losing.Count > 0 && losing.Count < preds.Count) return Describe(losing[0]);
            foreach (var p in losing) queue.Enqueue(p.Source);
        }
        return "";
    }

    /// <summary>The state a branch carries: its source's output, refined by the branch's condition (null: not taken).</summary>
    private FlowState? EdgeState(ControlFlowBranch branch)
    {
        var source = branch.Source;
        if (_out[source.Ordinal] is not { } output) return null;
        if (source.ConditionKind == ControlFlowConditionKind.None) return output;
        var truth = branch.IsConditionalSuccessor == (source.ConditionKind == ControlFlowConditionKind.WhenTrue);
        var reporting = _reporting;
        _reporting = false;
        try
        {
            return Assume(output, _branch[source.Ordinal], truth);
        }
        finally
        {
            _reporting = reporting;
        }
    }

    private static string Describe(ControlFlowBranch branch)
    {
        var source = branch.Source;
        for (var hops = 0; hops < 4 && source is not null; hops++)
        {
            var syntax = source.BranchValue?.Syntax ?? source.Operations.LastOrDefault()?.Syntax;
            if (syntax is not null)
            {
                var line = syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                if (syntax.AncestorsAndSelf().Any(a => a.RawKind == (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.ReturnStatement)) return $" on the path through the early return at line {line}";
                if (syntax.AncestorsAndSelf().Any(a => a.RawKind == (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.ThrowStatement)) return $" on the path through the throw at line {line}";
                if (source.BranchValue is not null && branch.Source == source && source.ConditionKind != ControlFlowConditionKind.None)
                {
                    var taken = branch.IsConditionalSuccessor == (source.ConditionKind == ControlFlowConditionKind.WhenTrue);
                    var returns = branch.Destination is { Kind: BasicBlockKind.Exit } || branch.Semantics == ControlFlowBranchSemantics.Return;
                    return $" on the path {(returns ? "through the early return " : "")}where `{syntax}` is {(taken ? "true" : "false")} (line {line})";
                }
                return $" on the path through line {line}";
            }
            source = source.Predecessors.Length == 1 ? source.Predecessors[0].Source : null;
        }
        return "";
    }
}
