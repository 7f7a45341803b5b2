namespace PtGuard.Runtime.Memory;

/// <summary>
/// A virtual CPU running one scenario thread. Every memory access, barrier and TLB invalidation goes
/// through here and becomes an event of the execution graph. Threads are re-executed from the start for
/// every execution the explorer visits, so scenario code must be deterministic given the values it reads.
/// </summary>
public sealed class Cpu
{
    [ThreadStatic]
    private static Cpu? _current;

    private readonly Run _run;
    private readonly Dictionary<ulong, History> _history = new();
    private readonly Dictionary<string, ulong> _reports = new(StringComparer.Ordinal);
    private DepSet _ctrl;
    private int _next;

    internal Cpu(Run run, int id)
    {
        _run = run;
        Id = id;
    }

    /// <summary>The CPU running on this OS thread, or null outside an exploration.</summary>
    public static Cpu? Current => _current;

    /// <summary>This CPU's number (its thread's position in the scenario).</summary>
    public int Id { get; }

    /// <summary>The memory model of the exploration.</summary>
    public MemoryModel Model => _run.Model;

    /// <summary>The initial memory image of the exploration.</summary>
    public InitialMemory Memory => _run.Program.Memory;

    internal int NextIndex => _next;

    /// <summary>Whether this CPU has translated in hardware in this run (its events need the TLBI rule's checks).</summary>
    internal bool Translates { get; private set; }

    /// <summary>The program this CPU runs (the kernel layer finds its machine through it).</summary>
    public ConcurrentProgram Program => _run.Program;

    /// <summary>State the layer above keeps per CPU for one run (locks held, walk position).</summary>
    internal T Local<T>() where T : class, new() => (T)(_local ??= new T());

    private object? _local;

    private ExecutionGraph G => _run.Graph;

    /// <summary>The CPU of the calling scenario thread; throws a clear error outside an exploration.</summary>
    public static Cpu Require(string operation) =>
        _current ?? throw new PtGuardException($"{operation}: no virtual CPU is running here; call it from a scenario thread run by the explorer.");

    internal static Cpu? Enter(Cpu? cpu)
    {
        var previous = _current;
        _current = cpu;
        return previous;
    }

    /// <summary><c>LDR</c>, <c>LDAR</c> or <c>LDAPR</c> of the word at <paramref name="address"/>.</summary>
    public Val Load(Val address, LoadKind kind = LoadKind.Plain, string? label = null, int tag = 0) =>
        Read(address, kind switch
        {
            LoadKind.Acquire => EventFlags.Acquire,
            LoadKind.AcquirePC => EventFlags.AcquirePC,
            _ => EventFlags.None,
        }, label, tag);

    /// <summary><c>STR</c> or <c>STLR</c> of <paramref name="value"/> to the word at <paramref name="address"/>.</summary>
    public void Store(Val address, Val value, StoreKind kind = StoreKind.Plain, string? label = null, int tag = 0) =>
        Write(address, value, kind == StoreKind.Release ? EventFlags.Release : EventFlags.None, label, tag);

    /// <summary>An atomic read-modify-write (<c>SWP</c>, <c>LDADD</c> ...): returns the old value; the new one is <paramref name="update"/>(old).</summary>
    public Val Rmw(Val address, Func<Val, Val> update, RmwOrder order = RmwOrder.Relaxed, string? label = null, int tag = 0)
    {
        ArgumentNullException.ThrowIfNull(update);
        var old = Read(address, EventFlags.RmwRead | AcquireFlag(order), label, tag);
        Write(address, update(old), EventFlags.RmwWrite | ReleaseFlag(order), label, tag);
        return old;
    }

    /// <summary><c>CAS</c>: writes <paramref name="desired"/> only if the word holds <paramref name="expected"/>; returns whether it did, and the old value.</summary>
    public (bool Success, Val Old) CompareExchange(Val address, ulong expected, Val desired, RmwOrder order = RmwOrder.Relaxed, string? label = null)
    {
        // A failed CAS is a plain read; a successful one is the read half of an RMW, which the write right
        // after it (flagged RmwWrite) makes it. Nothing else in the model looks at the read's own flag.
        var old = Read(address, AcquireFlag(order), label, 0);
        if (old.Bits != expected) return (false, old);
        Write(address, desired, EventFlags.RmwWrite | ReleaseFlag(order), label, 0);
        return (true, old);
    }

    /// <summary>
    /// An atomic of the litmus front-end: as <see cref="Rmw"/>, and with <paramref name="noReturn"/> (destination
    /// XZR, e.g. <c>STADD</c>) the read is aarch64.cat's <c>NoRet</c>: a DMB LD / DSB LD does not order it.
    /// </summary>
    internal Val AtomicRmw(Val address, Func<Val, Val> update, RmwOrder order, string? label, bool noReturn, DepSet writeControl = default)
    {
        var old = Read(address, EventFlags.RmwRead | AcquireFlag(order) | (noReturn ? EventFlags.NoRet : EventFlags.None), label, 0);
        WriteWithControl(address, update(old), EventFlags.RmwWrite | ReleaseFlag(order), label, writeControl);
        return old;
    }

    /// <summary>
    /// A store whose event also depends on <paramref name="writeControl"/> (ordered after those reads as by
    /// <c>ctrl;[W]</c>) without later events depending on them: the litmus front-end's pick dependencies.
    /// </summary>
    internal void StoreWithControl(Val address, Val value, StoreKind kind, string? label, DepSet writeControl) =>
        WriteWithControl(address, value, kind == StoreKind.Release ? EventFlags.Release : EventFlags.None, label, writeControl);

    private void WriteWithControl(Val address, Val value, EventFlags flags, string? label, DepSet writeControl)
    {
        var saved = _ctrl;
        _ctrl = _ctrl.Union(writeControl);
        try
        {
            Write(address, value, flags, label, 0);
        }
        finally
        {
            _ctrl = saved;
        }
    }

    /// <summary>
    /// <c>CAS</c> as herd7 builds it: the write, when <paramref name="can"/> holds, also depends on
    /// <paramref name="writeControl"/> (the compared register: a dependency into that write only, not into later
    /// events); <paramref name="noReturn"/> as in <see cref="AtomicRmw"/>.
    /// </summary>
    internal (bool Success, Val Old) CompareAndSwap(Val address, Func<ulong, bool> can, Func<Val, Val> update, RmwOrder order, string? label, DepSet writeControl, bool noReturn)
    {
        var old = Read(address, AcquireFlag(order) | (noReturn ? EventFlags.NoRet : EventFlags.None), label, 0);
        if (!can(old.Bits)) return (false, old);
        WriteWithControl(address, update(old), EventFlags.RmwWrite | ReleaseFlag(order), label, writeControl);
        return (true, old);
    }

    /// <summary>
    /// One attempt at a conditional RMW: reads the word and, only if <paramref name="can"/> holds, writes
    /// <paramref name="update"/>(old) atomically. A failed attempt is a plain read (as a failed <c>CAS</c>).
    /// </summary>
    public (bool Success, Val Old) TryRmw(Val address, Func<ulong, bool> can, Func<Val, Val> update, RmwOrder order = RmwOrder.Relaxed, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(can);
        ArgumentNullException.ThrowIfNull(update);
        var old = Read(address, AcquireFlag(order), label, 0);
        if (!can(old.Bits)) return (false, old);
        Write(address, update(old), EventFlags.RmwWrite | ReleaseFlag(order), label, 0);
        return (true, old);
    }

    /// <summary>
    /// Waits until the word at <paramref name="address"/> satisfies <paramref name="ready"/>, then (if
    /// <paramref name="update"/> is given) atomically replaces it. This is how locks block: the explorer
    /// never spins; a thread whose read does not satisfy <paramref name="ready"/> is blocked, and is
    /// revisited when a write it could read appears.
    /// </summary>
    public Val Await(Val address, Func<ulong, bool> ready, Func<Val, Val>? update = null, RmwOrder order = RmwOrder.Relaxed, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var flags = EventFlags.Await | AcquireFlag(order) | (update is null ? EventFlags.None : EventFlags.RmwRead);
        var old = Read(address, flags, label, 0, ready: ready);
        if (update is not null) Write(address, update(old), EventFlags.RmwWrite | ReleaseFlag(order), label, 0);
        return old;
    }

    /// <summary>A barrier instruction.</summary>
    public void Fence(BarrierKind barrier)
    {
        var index = _next;
        if (index < G.Length(Id))
        {
            Expect(G[Id, index], EventKind.Fence, 0, EventFlags.None, barrier);
        }
        else
        {
            _run.AddOther(this, Make(EventKind.Fence, EventFlags.None, 0, 0, default, default, null, 0, barrier));
        }
        _next++;
    }

    /// <summary>
    /// A broadcast TLB invalidation of <paramref name="va"/>. The layer above names the walk-cache slots it
    /// empties (written with zero) and the translation-table locations whose cached copies it invalidates.
    /// </summary>
    public void Tlbi(TlbiScope scope, Val va, IReadOnlyList<ulong> walkCacheSlots, IReadOnlyList<ulong> covers, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(walkCacheSlots);
        ArgumentNullException.ThrowIfNull(covers);
        foreach (var slot in walkCacheSlots)
        {
            Write(new Val(slot, va.Deps), 0, EventFlags.TlbiInvalidate, label, 0);
        }
        var index = _next;
        if (index < G.Length(Id))
        {
            Expect(G[Id, index], EventKind.Tlbi, va.Bits, EventFlags.None, default);
        }
        else
        {
            var all = covers.Concat(walkCacheSlots).Distinct().ToArray();
            var e = Make(EventKind.Tlbi, EventFlags.None, va.Bits, 0, va.Deps, default, label, 0, default, scope, all);
            _run.AddOther(this, e);
        }
        _next++;
    }

    /// <summary>
    /// The instruction fetch of a patchable instruction (herd7's <c>Variant=Ifetch</c>): a read of the instruction
    /// word at <paramref name="address"/>. Unlike a data read it is ordered only after a po-earlier <c>ISB</c>
    /// (context synchronization) and orders nothing after it; and it may keep seeing the old instruction after
    /// another CPU wrote a new one, until that CPU completed <c>DC CVAU; DSB; IC IVAU; DSB</c> on the location
    /// (the ARM ARM's sequence for modifying code; the model's rule is in <see cref="Arm64Model"/>).
    /// </summary>
    internal Val FetchInstruction(Val address, string? label = null) => Read(address, EventFlags.InstructionFetch, label, 0);

    /// <summary><c>DC CVAU</c> or <c>IC IVAU</c> of the location at <paramref name="address"/> (cache maintenance for modified code).</summary>
    internal void CacheMaintenance(BarrierKind op, Val address)
    {
        if (op is not (BarrierKind.DcCvau or BarrierKind.IcIvau)) throw new ArgumentOutOfRangeException(nameof(op));
        var index = _next;
        if (index < G.Length(Id))
        {
            Expect(G[Id, index], EventKind.Fence, address.Bits, EventFlags.None, op);
        }
        else
        {
            _run.AddOther(this, Make(EventKind.Fence, EventFlags.None, address.Bits, 0, default, default, null, 0, op));
        }
        _next++;
    }

    /// <summary>A read by this CPU's hardware table walker (of a descriptor or of its own walk cache).</summary>
    public Val LoadTranslation(Val address, string? label = null) => Read(address, EventFlags.Translation, label, 0);

    /// <summary>The hardware walker caching a table pointer in this CPU's walk cache.</summary>
    public void StoreWalkCacheFill(Val address, Val value, string? label = null) =>
        Write(address, value, EventFlags.WalkCacheFill, label, 0);

    /// <summary>Checks a property of the execution; a false <paramref name="condition"/> is a violation.</summary>
    public void Assert(bool condition, string message)
    {
        if (!condition) Fail(ViolationKinds.AssertionFailed, message);
    }

    /// <summary>Reports a violation of <paramref name="kind"/> at this point of this CPU's execution.</summary>
    public void Fail(string kind, string message, ulong? address = null) =>
        throw new ThreadStop(StopReason.Violation, new Violation(kind, Id, address, message));

    /// <summary>Records a named final value (litmus registers) for conditions evaluated after the run.</summary>
    public void Report(string name, ulong value) => _reports[name] = value;

    /// <summary>Makes every later event of this CPU control-dependent on <paramref name="deps"/>.</summary>
    public void AddControlDependency(DepSet deps) => _ctrl = _ctrl.Union(deps);

    /// <summary>The write the last read of this CPU read from: its tag (0 for the initial value), label and CPU (-1 for init).</summary>
    internal (int Tag, string? Label, int Cpu, int Index) LastReadSource()
    {
        var readIndex = _next - 1;
        var src = G.RfOf(Id, readIndex);
        if (src < 0) return (0, null, -1, -1);
        var w = G.Get(src);
        return (w.Tag, w.Label, w.Thread, w.Index);
    }

    internal void Finish()
    {
        if (_next < G.Length(Id))
        {
            Fail(ViolationKinds.Nondeterminism, $"CPU {Id} finished after {_next} events, but an earlier run with the same values issued {G.Length(Id)}; the scenario depends on state outside the model.");
        }
        G.SetReports(Id, new Dictionary<string, ulong>(_reports, StringComparer.Ordinal));
        G.SetStatus(Id, ThreadStatus.Finished);
    }

    private Val Read(Val address, EventFlags flags, string? label, int tag, Func<ulong, bool>? ready = null)
    {
        var addr = address.Bits;
        InitialMemory.CheckAligned(addr, label ?? "load");
        if ((flags & EventFlags.Translation) != 0) Translates = true;
        var index = _next;
        ulong value;
        if (index < G.Length(Id))
        {
            Expect(G[Id, index], EventKind.Read, addr, flags, default);
            value = G.ReadValue(Id, index);
        }
        else
        {
            var e = Make(EventKind.Read, flags, addr, 0, address.Deps, default, label, tag);
            value = _run.AddRead(this, e, ready);
        }
        _next++;
        if ((flags & EventFlags.InstructionFetch) != 0) return new Val(value);
        var h = HistoryOf(addr);
        // Dependencies flow through memory: a read after a local write of the same location depends on
        // what that write depended on (aarch64deps.cat: lrs in dtrm).
        var deps = DepSet.Of(index).Union(h.LastWriteDeps);
        h.Reads = h.Reads.Union(DepSet.Of(index));
        if (ready is not null && !ready(value))
        {
            G.SetStatus(Id, ThreadStatus.Blocked);
            throw new ThreadStop(StopReason.Blocked, null);
        }
        return new Val(value, deps);
    }

    private void Write(Val address, Val value, EventFlags flags, string? label, int tag)
    {
        var addr = address.Bits;
        InitialMemory.CheckAligned(addr, label ?? "store");
        var index = _next;
        if (index < G.Length(Id))
        {
            var e = G[Id, index];
            Expect(e, EventKind.Write, addr, flags, default);
            if (e.Value != value.Bits) Diverged(e, $"writes 0x{value.Bits:x} instead of 0x{e.Value:x}");
        }
        else
        {
            _run.AddWrite(this, Make(EventKind.Write, flags, addr, value.Bits, address.Deps, value.Deps, label, tag));
        }
        _next++;
        var h = HistoryOf(addr);
        h.LastWriteDeps = address.Deps.Union(value.Deps);
        h.Writes = h.Writes.Union(DepSet.Of(index));
    }

    private Event Make(EventKind kind, EventFlags flags, ulong addr, ulong value, DepSet addrDeps, DepSet dataDeps,
        string? label, int tag, BarrierKind barrier = default, TlbiScope scope = default, ulong[]? covers = null)
    {
        // An instruction fetch is not in the location's data history (no po-loc, no lrs).
        var h = kind is EventKind.Read or EventKind.Write && (flags & EventFlags.InstructionFetch) == 0 ? HistoryOf(addr) : null;
        var e = new Event
        {
            Kind = kind,
            Flags = flags,
            Barrier = barrier,
            Scope = scope,
            Thread = Id,
            Index = _next,
            Address = addr,
            Value = value,
            AddrDeps = addrDeps,
            DataDeps = dataDeps,
            CtrlDeps = _ctrl,
            SameAddrReadsBefore = h?.Reads ?? default,
            SameAddrWritesBefore = h?.Writes ?? default,
            Covers = covers ?? Array.Empty<ulong>(),
            Label = label,
            Tag = tag,
        };
        if (_run.Model == MemoryModel.Arm64) e.LobPreds = LocalOrder.Compute(G.ThreadEvents(Id), e);
        return e;
    }

    private History HistoryOf(ulong addr)
    {
        if (!_history.TryGetValue(addr, out var h)) _history[addr] = h = new History();
        return h;
    }

    private void Expect(Event e, EventKind kind, ulong addr, EventFlags flags, BarrierKind barrier)
    {
        // A CAS is recorded as an RMW read only when it succeeded; compare the rest.
        var mask = ~(EventFlags.RmwRead);
        if (e.Kind != kind || (kind != EventKind.Fence && e.Address != addr) || (e.Flags & mask) != (flags & mask)
            || (kind == EventKind.Fence && e.Barrier != barrier))
        {
            Diverged(e, $"issued {kind} 0x{addr:x}");
        }
    }

    private void Diverged(Event e, string what) =>
        Fail(ViolationKinds.Nondeterminism, $"CPU {Id} event {e.Index}: replay {what} where the recorded execution has {e.Describe()}; the scenario depends on state outside the model.");

    private static EventFlags AcquireFlag(RmwOrder o) => (o & RmwOrder.Acquire) != 0 ? EventFlags.Acquire : EventFlags.None;

    private static EventFlags ReleaseFlag(RmwOrder o) => (o & RmwOrder.Release) != 0 ? EventFlags.Release : EventFlags.None;

    private sealed class History
    {
        public DepSet Reads;
        public DepSet Writes;
        public DepSet LastWriteDeps;
    }
}

internal enum StopReason
{
    Blocked,
    Discard,
    Restart,
    Violation,
    Bound,
}

/// <summary>Unwinds a scenario thread when the explorer stops it. Scenario code must not catch it.</summary>
internal sealed class ThreadStop(StopReason reason, Violation? violation) : Exception("explorer stop: " + reason)
{
    public StopReason Reason { get; } = reason;
    public Violation? Violation { get; } = violation;
}
