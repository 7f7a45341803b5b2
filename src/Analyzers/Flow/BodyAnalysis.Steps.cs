using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PtGuard.Analyzers.Flow;

internal sealed partial class BodyAnalysis
{
    private int Invoke(FlowState s, IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var args = new int[method.Parameters.Length];
        for (var i = 0; i < args.Length; i++) args[i] = ValueTable.None;
        Evaluate(s, invocation.Instance);
        foreach (var argument in invocation.Arguments)
        {
            var value = Evaluate(s, argument.Value);
            if (argument.Parameter is { } p && p.Ordinal < args.Length) args[p.Ordinal] = value;
        }
        int Arg(int i) => i == MethodSteps.ImplicitInitMm ? Values.InitMm() : i >= 0 && i < args.Length ? args[i] : ValueTable.None;
        var steps = _session.Known.StepsOf(method);
        if (steps.Releases == -1) MarkWork(s, invocation);
        if (steps.RequiresLock) CheckRequiresLock(s, invocation, steps.RequiresMm < 0 ? Values.InitMm() : Arg(steps.RequiresMm));
        if (CyclesLockHere(steps, invocation, Arg)) CheckNested(s, steps.CycleMm < 0 ? Values.InitMm() : Arg(steps.CycleMm), invocation, "InitMm");
        if (!steps.IsPrimitive) return CallHelper(s, invocation, args);

        var result = ValueTable.None;
        if (steps.TableOfEntry >= 0)
        {
            UseEntry(s, Arg(steps.TableOfEntry), invocation);
            result = Values.TableOf(Arg(steps.TableOfEntry), Arg(steps.TableOfAddress), invocation);
            Track(s, Arg(steps.TableOfEntry));
        }
        if (steps.Clears >= 0) Clear(s, Arg(steps.Clears), invocation);
        if (steps.FlushesLeafOnly >= 0) Flush(s, Arg(steps.FlushesLeafOnly), invocation, leafOnly: true);
        if (steps.FlushesWalkCache >= 0) Flush(s, Arg(steps.FlushesWalkCache), invocation, leafOnly: false);
        if (steps.KeyTest >= 0) result = KeyTest(s, Arg(steps.KeyTest), invocation);
        if (steps.KeyUpdateKey >= 0) UpdateKey(s, steps.KeyUpdate, Arg(steps.KeyUpdateKey), invocation);
        if (steps.TryAcquires != -1) result = TryAcquire(s, Arg(steps.TryAcquires), invocation);
        if (steps.Acquires != -1) Acquire(s, Arg(steps.Acquires), steps.LockMode, invocation, blocking: true);
        if (steps.Releases != -1) Release(s, Arg(steps.Releases), steps.LockMode, invocation);
        if (steps.Walks) Walk(s, steps.WalkMm < 0 ? Values.InitMm() : Arg(steps.WalkMm), invocation, steps.WalkMm >= 0 ? invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == steps.WalkMm)?.Value : null);
        if (steps.Frees >= 0) Free(s, Arg(steps.Frees), invocation, invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == steps.Frees)?.Value);
        return result == ValueTable.None ? Values.Opaque(invocation) : result;
    }

    /// <summary>
    /// A call to a <c>[CyclesLock]</c> method compiled elsewhere (its body is metadata) takes and drops the lock, unless
    /// its gating parameter is the constant false. A method compiled from source is judged from its body instead.
    /// </summary>
    private bool CyclesLockHere(MethodSteps steps, IInvocationOperation invocation, System.Func<int, int> arg)
    {
        if (!steps.CyclesLock || invocation.TargetMethod.DeclaringSyntaxReferences.Length > 0) return false;
        if (steps.CycleCondition < 0) return true;
        var flag = arg(steps.CycleCondition);
        return flag == ValueTable.None || Values[flag].Kind != ValueKind.Const || Values[flag].A != 0;
    }

    /// <summary>
    /// An entry is read (a table derived from it) or cleared: if it lies inside a table already freed on some path, that
    /// free came too early (a PMD table freed before its PTE tables: the freer itself reads freed memory, and the page may
    /// already hold someone else's data).
    /// </summary>
    private void UseEntry(FlowState s, int entry, IOperation site)
    {
        if (!_reporting || !Values.IsChild(entry) || s.Freed.IsEmpty) return;
        var container = Values[entry].Container;
        foreach (var freed in s.Freed.Keys)
        {
            if (freed.Entry == container) _session.AddUseAfterFree(freed.Free, site);
        }
    }

    private void Clear(FlowState s, int entry, IOperation site)
    {
        if (entry == ValueTable.None) return;
        UseEntry(s, entry, site);
        var e = s.EntryOf(entry);
        if (e.Sw == SwProgress.None)
        {
            e.Sw = SwProgress.Cleared;
            e.ClearSite = site;
        }
        if (e.Hw == HwProgress.None) e.Hw = HwProgress.Cleared;
        s.Entries[entry] = e;
        if (_reporting)
        {
            foreach (var freed in s.Freed.Keys.Where(f => f.Entry == entry)) _session.AddLateStep(freed.Free, "Clear", site);
        }
    }

    /// <summary>
    /// A table was just derived from <paramref name="entry"/>: its history of misordered steps starts here. Derived
    /// from an entry already cleared on every path, it is not the table that was linked: nothing done so far counts.
    /// Derived again from it, it still is not (the clear is as far back as it was; found by fuzzing: a third derivation,
    /// in a helper, turned "derived after the clear" into "not cleared", and PTG0001's fix inserted clears forever).
    /// </summary>
    private static void Track(FlowState s, int entry)
    {
        if (entry == ValueTable.None) return;
        var e = s.EntryOf(entry);
        var afterClear = e.Sw >= SwProgress.Cleared || (e.Sw == SwProgress.None && (e.Bits & Misorder.DerivedAfterClear) != 0);
        e = default;
        if (afterClear) e.Bits = Misorder.DerivedAfterClear;
        s.Entries[entry] = e;
    }

    private void Flush(FlowState s, int address, IOperation site, bool leafOnly)
    {
        foreach (var kv in s.Entries.ToList())
        {
            var (key, e) = (kv.Key, kv.Value);
            if (e.Sw == SwProgress.None && !leafOnly && Compatible(address, Values.AddressOf(key))) e.Bits |= Misorder.FlushBeforeClear;
            if (e.Sw == SwProgress.Cleared) e.Sw = SwProgress.Barriered;
            if (e.Hw == HwProgress.Cleared)
            {
                if (leafOnly)
                {
                    // The leaf flush of this entry's own address is the one a fix replaces.
                    e.Bits |= Misorder.LeafOnlyAfterClear;
                    if (e.FlushSite is null || Compatible(address, Values.AddressOf(key))) e.FlushSite = site;
                }
                else if (Compatible(address, Values.AddressOf(key)))
                {
                    e.Hw = HwProgress.Flushed;
                    e.FlushSite = site;
                }
                else
                {
                    e.Bits |= Misorder.WalkFlushWrongAddress;
                    e.FlushedAddress = address;
                }
            }
            if (leafOnly || Compatible(address, Values.AddressOf(key))) e.FlushSite ??= site;
            SetIfChanged(s, key, e);
        }
        if (!leafOnly && _reporting)
        {
            foreach (var freed in s.Freed.Keys.Where(f => Compatible(address, f.Address))) _session.AddLateStep(freed.Free, "Flush", site);
        }
    }

    /// <summary>
    /// init_mm's lock taken after the clear: a walker holding it has finished when it is granted, and a walker taking
    /// it later sees the clear, which the release (or the held lock) orders before it. No barrier is needed for that;
    /// the barrier matters only for the key test (see <see cref="KeyTest"/>).
    /// </summary>
    private void Cycle(FlowState s, IOperation site)
    {
        foreach (var kv in s.Entries.ToList())
        {
            var (key, e) = (kv.Key, kv.Value);
            if (e.Sw is SwProgress.Cleared or SwProgress.Barriered)
            {
                e.Sw = SwProgress.Protected;
                e.CycleSite = site;
            }
            else if (e.Sw == SwProgress.None)
            {
                e.Bits |= Misorder.CycleBeforeClear;
                e.CycleSite ??= site;
            }
            SetIfChanged(s, key, e);
        }
        if (_reporting)
        {
            foreach (var freed in s.Freed.Keys) _session.AddLateStep(freed.Free, "Cycle", site);
        }
    }

    /// <summary>
    /// Stores an entry's state only when a step changed it: a flush or a cycle visits every entry of the state, and
    /// rewriting the ones it leaves as they were (every table already done with) copied map nodes for nothing.
    /// </summary>
    private static void SetIfChanged(FlowState s, int key, EntryState e)
    {
        if (!s.Entries.TryGetValue(key, out var old) || !old.Equals(e)) s.Entries[key] = e;
    }

    /// <summary>The freer saw the key off after the barrier: by the store-buffering argument the walker sees the clear.</summary>
    private void KeyOff(FlowState s, IOperation site)
    {
        if (!s.KeyTests.TryGetValue(site, out var barriered)) return;
        foreach (var key in barriered)
        {
            if (!s.Entries.TryGetValue(key, out var e) || e.Sw != SwProgress.Barriered) continue;
            e.Sw = SwProgress.Protected;
            e.CycleSite = site;
            s.Entries[key] = e;
        }
    }

    /// <summary>
    /// A key read: "off" protects only entries whose clear a barrier ordered before it; for an entry merely cleared,
    /// ARMv8 may perform the load before the store, so "off" proves nothing (the key test came before the flush).
    /// </summary>
    private int KeyTest(FlowState s, int key, IOperation site)
    {
        if (Values[key].Kind == ValueKind.KeyRef)
        {
            foreach (var k in s.Entries.Where(kv => kv.Value.Sw == SwProgress.Cleared).Select(kv => kv.Key).ToList())
            {
                var e = s.Entries[k];
                e.Bits |= Misorder.CycleBeforeFlush;
                s.Entries[k] = e;
            }
        }
        s.KeyTests[site] = new HashSet<int>(s.Entries.Where(kv => kv.Value.Sw >= SwProgress.Barriered).Select(kv => kv.Key));
        return Values.KeyTest(site, key);
    }

    private bool Compatible(int a, int b)
    {
        if (a == b || a == ValueTable.None || b == ValueTable.None) return true;
        return Values[a].Kind == ValueKind.Opaque || Values[b].Kind == ValueKind.Opaque;
    }

    private int TryAcquire(FlowState s, int mm, IInvocationOperation site)
    {
        var pending = new PendingTrylock(site, null);
        s.PendingTrylocks.Add(pending);
        if (_reporting && site.Parent is IExpressionStatementOperation or IDiscardOperation)
        {
            Facts.Add(new TrylockFact { Site = site, Mm = MmText(site) });
        }
        return Values.TryLock(site, mm);
    }

    private void Acquire(FlowState s, int mm, LockMode mode, IOperation site, bool blocking)
    {
        if (blocking && mode == LockMode.Shared) CheckNested(s, mm, site, MmText(site));
        var count = s.LockOf(mm);
        if (mode == LockMode.Shared)
        {
            count.ReadMin = LockCount.Clamp(count.ReadMin + 1);
            count.ReadMax = LockCount.Clamp(count.ReadMax + 1);
        }
        else
        {
            count.WriteMin = LockCount.Clamp(count.WriteMin + 1);
            count.WriteMax = LockCount.Clamp(count.WriteMax + 1);
        }
        s.Locks[mm] = count;
        var guard = s.WalkerKeyOn ? Guard.WalkerKey : s.OtherKeyOn is not null ? Guard.OtherKey : Guard.None;
        s.OpenLocks.Add(new OpenLock(site, null, mm, mode, guard, s.OtherKeyOn, null));
        if (Values[mm].Kind == ValueKind.InitMm) Cycle(s, site);
    }

    /// <summary>A blocking read lock of <paramref name="mm"/> while it is held on every path: PTG0014.</summary>
    private void CheckNested(FlowState s, int mm, IOperation site, string mmText)
    {
        if (!_reporting || !s.LockOf(mm).HeldOnEveryPath) return;
        var fromCaller = _entryState is not null && _entryState.LockOf(mm).HeldOnEveryPath;
        Facts.Add(new NestedLockFact { Site = site, Mm = mmText, FromCaller = fromCaller });
    }

    private void Release(FlowState s, int mm, LockMode mode, IOperation site)
    {
        var count = s.LockOf(mm);
        var heldBefore = mode == LockMode.Shared ? count.ReadMax > 0 : count.WriteMax > 0;
        if (mode == LockMode.Shared)
        {
            count.ReadMin = LockCount.Clamp(count.ReadMin - 1);
            count.ReadMax = LockCount.Clamp(count.ReadMax - 1);
        }
        else
        {
            count.WriteMin = LockCount.Clamp(count.WriteMin - 1);
            count.WriteMax = LockCount.Clamp(count.WriteMax - 1);
        }
        s.Locks[mm] = count;
        var closing = s.OpenLocks.Where(o => o.Mm == mm && o.Mode == mode).ToList();
        if (closing.Count == 0 && !heldBefore && _reporting && _isRoot && !RootIsLockHelper())
        {
            Facts.Add(new CycleFact { Site = site, Malformation = DiagnosticPropertyKeys.MalformedKinds.NoLock, Mm = MmText(site) });
        }
        foreach (var open in closing)
        {
            s.OpenLocks.Remove(open);
            if (_session.Protocol != Protocol.A) continue;
            var malformation =
                mode == LockMode.Exclusive ? DiagnosticPropertyKeys.MalformedKinds.WriteLock
                : Values[mm].Kind != ValueKind.InitMm ? DiagnosticPropertyKeys.MalformedKinds.WrongMm
                : open.Guard == Guard.OtherKey ? DiagnosticPropertyKeys.MalformedKinds.WrongKey
                : open.Work is not null ? DiagnosticPropertyKeys.MalformedKinds.WorkInside
                : open.Guard == Guard.None ? CycleFact.Unguarded
                : null;
            if (malformation is not null) s.PendingCycles.Add(new PendingCycle(open.Site, site, open.Anchor, malformation, open.GuardSite, open.Work, mm));
        }
    }

    private bool RootIsLockHelper()
    {
        if (_method is null) return false;
        var steps = _session.Known.StepsOf(_method);
        return steps.Releases != -1 || steps.RequiresLock || _method.MethodKind == MethodKind.LocalFunction || _method.DeclaredAccessibility == Accessibility.Private;
    }

    private void UpdateKey(FlowState s, KeyUpdate update, int key, IOperation site)
    {
        if (_session.Protocol != Protocol.A || Values[key].Kind != ValueKind.KeyRef) return;
        var raise = update is KeyUpdate.Inc or KeyUpdate.Enable;
        s.KeyMin = LockCount.Clamp(s.KeyMin + (raise ? 1 : -1));
        s.KeyMax = LockCount.Clamp(s.KeyMax + (raise ? 1 : -1));
        if (raise) s.KeyRaise ??= site;
        if (update == KeyUpdate.Enable) s.UncountedRaise = true;
        if (update is KeyUpdate.Enable or KeyUpdate.Disable && _reporting)
        {
            Facts.Add(new UncountedKeyFact { Site = site, IsEnable = update == KeyUpdate.Enable });
        }
    }

    private void Walk(FlowState s, int mm, IOperation site, IOperation? mmArgument)
    {
        WalkSeen = true;
        if (_session.Protocol != Protocol.A || Values[mm].Kind != ValueKind.InitMm || !_reporting) return;
        if (s.KeyMin >= 1) return;
        Facts.Add(new WalkFact
        {
            Site = site,
            SomePaths = s.KeyMax >= 1,
            Mm = mmArgument?.Syntax.ToString() ?? "InitMm",
            MmValue = mm,
            PathNote = s.KeyMax >= 1 ? DescribeLoss(site, st => st.KeyMin >= 1) : "",
        });
    }

    private void CheckRequiresLock(FlowState s, IInvocationOperation call, int mm)
    {
        if (_session.Protocol != Protocol.B || !_reporting) return;
        if (s.LockOf(mm).HeldOnEveryPath) return;
        Facts.Add(new RequiresLockFact { Site = call, Callee = call.TargetMethod.Name, PathNote = DescribeLoss(call, st => st.LockOf(mm).HeldOnEveryPath) });
    }

    private static string MmText(IOperation site) =>
        site is IInvocationOperation inv && inv.Arguments.Length > 0 ? inv.Arguments[0].Value.Syntax.ToString() : "InitMm";
}
