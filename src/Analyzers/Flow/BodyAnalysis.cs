using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace PtGuard.Analyzers.Flow;

/// <summary>
/// The forward analysis of one control-flow graph: a worklist to a fixpoint (must facts meet, may facts union, so
/// loops converge), branches refined by their condition (key tests, trylocks, constant bools), finally regions run
/// on every exit that passes through them, and then one reporting pass over the converged states.
/// </summary>
internal sealed partial class BodyAnalysis
{
    private readonly AnalysisSession _session;
    private readonly ControlFlowGraph _cfg;
    private readonly int _depth;
    private readonly IMethodSymbol? _method;
    private readonly string? _lockFreeArgument;
    private readonly bool _isRoot;
    private readonly FlowState?[] _in;
    private readonly FlowState?[] _out;
    private readonly int[] _branch;
    private readonly Dictionary<ControlFlowRegion, FlowState> _finallyIn = new();
    private readonly Dictionary<ControlFlowRegion, HashSet<Continuation>> _finallyNext = new();
    private readonly SortedSet<int> _work = new();
    private FlowState? _exit;
    private FlowState? _throwExit;
    private FlowState? _entryState;
    private bool _reporting;

    public BodyAnalysis(AnalysisSession session, ControlFlowGraph cfg, int depth, IMethodSymbol? method, string? lockFreeArgument, bool isRoot)
    {
        _session = session;
        _cfg = cfg;
        _depth = depth;
        _method = method;
        _lockFreeArgument = lockFreeArgument;
        _isRoot = isRoot;
        _in = new FlowState?[cfg.Blocks.Length];
        _out = new FlowState?[cfg.Blocks.Length];
        _branch = new int[cfg.Blocks.Length];
    }

    /// <summary>Whether the body walks page tables itself (a raise it never lowers is then a broken bracket).</summary>
    public bool WalkSeen { get; private set; }

    /// <summary>Facts found in the reporting pass (callee facts already re-anchored to this body's calls).</summary>
    public List<Fact> Facts { get; } = new();

    private ValueTable Values => _session.Values;

    /// <summary>State at the normal exit (null: no path returns), joined with explicit throws for the key balance.</summary>
    public FlowState? ExitWithThrows => _exit is null ? _throwExit : _throwExit is null ? _exit : _exit.Join(_throwExit, Values, _cfg);

    public FlowState? In(int ordinal) => _in[ordinal];

    public FlowState? Out(int ordinal) => _out[ordinal];

    public ControlFlowGraph Graph => _cfg;

    /// <summary>Runs to the fixpoint from <paramref name="entry"/>, then (optionally) the reporting pass; returns the exit state.</summary>
    public FlowState? Run(FlowState entry, bool report)
    {
        _entryState = entry;
        Fixpoint(entry);
        if (report)
        {
            _reporting = true;
            ReportPass();
            _reporting = false;
        }
        return _exit;
    }

    private void Fixpoint(FlowState entry)
    {
        var first = _cfg.Blocks[0];
        _in[first.Ordinal] = entry;
        _work.Add(first.Ordinal);
        while (_work.Count > 0)
        {
            var ordinal = _work.Min;
            _work.Remove(ordinal);
            _session.CountVisit();
            Process(_cfg.Blocks[ordinal]);
        }
    }

    private void ReportPass()
    {
        foreach (var block in _cfg.Blocks)
        {
            if (_in[block.Ordinal] is not null) Process(block);
        }
    }

    private void Process(BasicBlock block)
    {
        var state = _in[block.Ordinal];
        if (state is null) return;
        if (block.Kind == BasicBlockKind.Exit)
        {
            _exit = state;
            return;
        }
        _currentBlock = block;
        var s = state.Clone();
        foreach (var op in block.Operations)
        {
            Evaluate(s, op, topLevel: true);
        }
        var branch = block.BranchValue is null ? ValueTable.None : Evaluate(s, block.BranchValue, topLevel: true);
        _out[block.Ordinal] = s;
        _branch[block.Ordinal] = branch;
        if (_reporting) return;

        // Any point of a try body may throw into its catch clauses.
        foreach (var handler in CatchEntries(block))
        {
            Deliver(handler, state);
        }
        if (block.ConditionalSuccessor is { } conditional)
        {
            var whenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            Follow(conditional, Assume(s, branch, whenTrue), branch);
            if (block.FallThroughSuccessor is { } fall) Follow(fall, Assume(s, branch, !whenTrue), branch);
        }
        else if (block.FallThroughSuccessor is { } fall)
        {
            Follow(fall, s, branch);
        }
    }

    private void Follow(ControlFlowBranch edge, FlowState? state, int branchValue)
    {
        if (state is null) return;
        if (edge.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
        {
            for (var r = edge.Source.EnclosingRegion; r is not null; r = r.EnclosingRegion)
            {
                if (r.Kind == ControlFlowRegionKind.Finally)
                {
                    LeaveFinally(r, state);
                    break;
                }
            }
            return;
        }
        if (edge.Semantics == ControlFlowBranchSemantics.Return && branchValue != ValueTable.None)
        {
            state = state.Clone();
            state.Returned = branchValue;
        }
        var finallies = edge.FinallyRegions;
        if (edge.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
        {
            finallies = EnclosingFinallies(edge.Source, _cfg.Root);
        }
        if (finallies.Length > 0)
        {
            EnterFinally(new Continuation(finallies, 0, edge.Destination, edge.Semantics), state);
            return;
        }
        Arrive(edge.Destination, edge.Semantics, state);
    }

    private void Arrive(BasicBlock? destination, ControlFlowBranchSemantics semantics, FlowState state)
    {
        if (semantics == ControlFlowBranchSemantics.StructuredExceptionHandling) return;
        if (destination is null)
        {
            if (semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
            {
                _throwExit = _throwExit is null ? state : _throwExit.Join(state, Values, _cfg);
            }
            return;
        }
        Deliver(destination, state);
    }

    private void Deliver(BasicBlock destination, FlowState state)
    {
        var current = _in[destination.Ordinal];
        var joined = current is null ? state : current.Join(state, Values, destination);
        if (current is not null && current.SameAs(joined)) return;
        _in[destination.Ordinal] = joined;
        _work.Add(destination.Ordinal);
    }

    private void EnterFinally(Continuation next, FlowState state)
    {
        var region = next.Finallies[next.Index];
        if (region.FirstBlockOrdinal < 0 || region.LastBlockOrdinal >= _cfg.Blocks.Length) return;
        if (!_finallyNext.TryGetValue(region, out var continuations)) _finallyNext[region] = continuations = new();
        var added = continuations.Add(next);
        var current = _finallyIn.TryGetValue(region, out var c) ? c : null;
        var joined = current is null ? state : current.Join(state, Values, region);
        if (current is not null && current.SameAs(joined) && !added) return;
        _finallyIn[region] = joined;
        Deliver(_cfg.Blocks[region.FirstBlockOrdinal], joined);
        // The finally's end (a block branching with StructuredExceptionHandling) is wired in LeaveFinally.
        if (_out[region.LastBlockOrdinal] is { } end) LeaveFinally(region, end);
    }

    private void LeaveFinally(ControlFlowRegion region, FlowState end)
    {
        if (!_finallyNext.TryGetValue(region, out var continuations)) return;
        foreach (var next in continuations.ToList())
        {
            if (next.Index + 1 < next.Finallies.Length) EnterFinally(next with { Index = next.Index + 1 }, end);
            else Arrive(next.Destination, next.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling ? ControlFlowBranchSemantics.Regular : next.Semantics, end);
        }
    }

    private static System.Collections.Immutable.ImmutableArray<ControlFlowRegion> EnclosingFinallies(BasicBlock block, ControlFlowRegion root)
    {
        var list = new List<ControlFlowRegion>();
        // A lambda's regions chain on into the enclosing method's; its own graph ends at its root region.
        for (var r = block.EnclosingRegion; r is not null && r != root; r = r.EnclosingRegion)
        {
            if (r.Kind == ControlFlowRegionKind.Try && r.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndFinally } tf)
            {
                list.Add(tf.NestedRegions[1]);
            }
        }
        return list.ToImmutableArray();
    }

    private IEnumerable<BasicBlock> CatchEntries(BasicBlock block)
    {
        for (var r = block.EnclosingRegion; r is not null && r != _cfg.Root; r = r.EnclosingRegion)
        {
            if (r.Kind == ControlFlowRegionKind.Try && r.EnclosingRegion is { Kind: ControlFlowRegionKind.TryAndCatch } tc)
            {
                foreach (var handler in tc.NestedRegions.Skip(1))
                {
                    if (handler.FirstBlockOrdinal >= 0 && handler.FirstBlockOrdinal < _cfg.Blocks.Length) yield return _cfg.Blocks[handler.FirstBlockOrdinal];
                }
            }
        }
    }

    /// <summary>A pending exit through finally regions: which finally next, and where control goes after the last.</summary>
    private sealed record Continuation(System.Collections.Immutable.ImmutableArray<ControlFlowRegion> Finallies, int Index, BasicBlock? Destination, ControlFlowBranchSemantics Semantics)
    {
        public bool Equals(Continuation? other) =>
            other is not null && Index == other.Index && Destination == other.Destination && Semantics == other.Semantics && Finallies.SequenceEqual(other.Finallies);

        public override int GetHashCode() => Index ^ (Destination?.Ordinal ?? -1) * 31 ^ (int)Semantics * 7 ^ Finallies.Length * 131;
    }
}
