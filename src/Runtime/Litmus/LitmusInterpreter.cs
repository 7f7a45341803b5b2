using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Litmus;

/// <summary>
/// Runs one litmus thread on a virtual CPU, instruction by instruction. Registers hold <see cref="Val"/>s, so
/// address and data dependencies follow the values; the NZCV flags carry the dependencies of the operands that
/// set them, and every conditional branch (B.cond, CBZ, CBNZ, TBZ, TBNZ) makes the rest of the thread
/// control-dependent on the registers it tested. W-register writes zero-extend; XZR/WZR read as zero.
/// <para>
/// CSEL and friends make "pick" dependencies (aarch64hwreqs.cat's <c>pob</c>): the result depends on the flags
/// only through the choice. Each register keeps its pick dependencies beside its <see cref="Val"/>; they order a
/// write whose address or data carries them, every write after an access whose address carries them, and
/// everything after a later ISB, but, unlike an address dependency, not the read whose address carries them.
/// </para>
/// </summary>
internal sealed partial class LitmusInterpreter
{
    private const ulong Mask32 = 0xFFFF_FFFF;

    private readonly Cpu _cpu;
    private readonly LitmusTest _test;
    private readonly LitmusThread _thread;
    private readonly Val[] _regs = new Val[32];
    private readonly Dictionary<int, int> _backJumps = new();
    private readonly int _unroll;
    private readonly ExclusiveChoices _exclusives;
    private readonly Dictionary<int, int> _stxCount = new();
    private bool _n, _z, _c, _v;
    private DepSet _flagDeps;

    private LitmusInterpreter(Cpu cpu, LitmusTest test, int thread, int unroll, ExclusiveChoices exclusives)
    {
        _cpu = cpu;
        _exclusives = exclusives;
        _test = test;
        _thread = test.Threads[thread];
        _unroll = unroll;
        foreach (var (reg, value) in test.Layout.Registers[thread]) _regs[reg] = new Val(value);
    }

    /// <summary>Runs thread <paramref name="thread"/> of <paramref name="test"/> to its end and reports the registers in <paramref name="report"/>.</summary>
    public static void Run(Cpu cpu, LitmusTest test, int thread, IReadOnlyCollection<int> report, int unroll, ExclusiveChoices exclusives)
    {
        var m = new LitmusInterpreter(cpu, test, thread, unroll, exclusives);
        m.Execute();
        foreach (var r in report) cpu.Report("X" + r, m._regs[r].Bits);
    }

    private void Execute()
    {
        var code = _thread.Code;
        var pc = 0;
        while (pc < code.Count)
        {
            var ins = code[pc];
            if (_test.Layout.PatchSites.TryGetValue((_thread.Id, pc), out var site)) ins = Fetch(site);
            var next = Step(ins, pc);
            if (next <= pc)
            {
                // herd7 unrolls loops a bounded number of times and drops the executions that go further.
                var n = _backJumps.TryGetValue(pc, out var k) ? k + 1 : 1;
                _backJumps[pc] = n;
                if (n > _unroll) throw new ThreadStop(StopReason.Discard, null);
            }
            pc = next;
        }
    }

    /// <summary>
    /// The instruction fetch of a patchable site (<c>Variant=Ifetch</c>): a read of the site's word that may see
    /// the original instruction or a patched one (see <see cref="Cpu.FetchInstruction"/> for its ordering).
    /// </summary>
    private Instruction Fetch(ulong site)
    {
        var word = _cpu.FetchInstruction(site, _test.Layout.NameOf(site));
        // Anything else in instruction memory would be an undefined instruction: no execution of interest.
        return _test.Layout.Encodings.TryGetValue(word.Bits, out var ins) ? ins : throw new ThreadStop(StopReason.Discard, null);
    }

    private int Step(Instruction ins, int pc)
    {
        switch (ins.Op)
        {
            case Op.Nop:
                break;
            case Op.Mov:
                Set(ins.Rd, Operand(ins.Src, ins.Rd.Wide), PickOf(ins.Src));
                break;
            case Op.Mvn:
                Set(ins.Rd, ~Operand(ins.Src, ins.Rd.Wide), PickOf(ins.Src));
                break;
            case Op.Alu:
                Alu(ins);
                break;
            case Op.Csel:
                // No branch: the chosen register flows as data, the flags only as a pick dependency.
                var taken = Holds(ins.Cond);
                var from = taken ? ins.Rn : ins.Src.Register!.Value;
                var chosen = taken ? Get(ins.Rn) : Csel(ins, Get(from));
                Set(ins.Rd, chosen, _flagDeps.Union(_flagPick).Union(GetPick(from)));
                break;
            case Op.B:
                return Jump(ins);
            case Op.BCond:
                if (ins.Cond is not ("AL" or "NV")) _cpu.AddControlDependency(_flagDeps.Union(_flagPick));
                return Holds(ins.Cond) ? Jump(ins) : pc + 1;
            case Op.Cbz or Op.Cbnz:
                var v = Get(ins.Rn);
                _cpu.AddControlDependency(v.Deps.Union(GetPick(ins.Rn)));
                return (v.Bits == 0) == (ins.Op == Op.Cbz) ? Jump(ins) : pc + 1;
            case Op.Tbz or Op.Tbnz:
                var t = Get(ins.Rn);
                _cpu.AddControlDependency(t.Deps.Union(GetPick(ins.Rn)));
                var bit = (t.Bits >> ins.Bit) & 1;
                return (bit == 0) == (ins.Op == Op.Tbz) ? Jump(ins) : pc + 1;
            case Op.Load:
                var la = Address(ins.Mem);
                var lp = MemPick(la);
                Set(ins.Rd, _cpu.Load(la, ins.LoadKind, Label(ins, la)), lp);
                AfterRead(la, lp, ins.LoadKind != LoadKind.Plain);
                WriteBack(ins.Mem);
                break;
            case Op.Ldx:
                if (_thread.ExclusivePairs.TryGetValue(pc, out var stx)) return Exclusive(ins, pc, stx);
                var xa = Address(ins.Mem);
                var xp = MemPick(xa);
                Set(ins.Rd, _cpu.Load(xa, ins.LoadKind, Label(ins, xa)), xp);
                AfterRead(xa, xp, ins.LoadKind != LoadKind.Plain);
                break;
            case Op.Stx:
                // Reached only when the pair's store fails (a successful pair skips it): no write, status 1.
                Set(ins.Rs, new Val(1));
                break;
            case Op.Store:
                var sa = Address(ins.Mem);
                var sc = WriteControl(sa, GetPick(ins.Rd), ins.StoreKind == StoreKind.Release);
                _cpu.StoreWithControl(sa, Get(ins.Rd), ins.StoreKind, Label(ins, sa), sc);
                RecordStore(sa, GetPick(ins.Rd));
                WriteBack(ins.Mem);
                break;
            case Op.Swp:
                var swapped = Get(ins.Rs);
                var a = Address(ins.Mem);
                var readPick = MemPick(a);
                var wc = WriteControl(a, GetPick(ins.Rs), (ins.Order & RmwOrder.Release) != 0);
                Set(ins.Rd, _cpu.AtomicRmw(a, _ => swapped, NoRetOrder(ins.Order, ins.Rd), Label(ins, a), ins.Rd.IsZero, wc), readPick);
                AfterRead(a, readPick, (NoRetOrder(ins.Order, ins.Rd) & RmwOrder.Acquire) != 0);
                RecordStore(a, GetPick(ins.Rs));
                break;
            case Op.LdOp:
                var operand = Get(ins.Rs);
                var wide = ins.Rs.Wide;
                a = Address(ins.Mem);
                readPick = MemPick(a);
                wc = WriteControl(a, GetPick(ins.Rs), (ins.Order & RmwOrder.Release) != 0);
                Set(ins.Rd, _cpu.AtomicRmw(a, old => Atomic(ins.Alu, Width(old, wide), operand, wide), NoRetOrder(ins.Order, ins.Rd), Label(ins, a),
                    ins.Rd.IsZero, wc), readPick);
                AfterRead(a, readPick, (NoRetOrder(ins.Order, ins.Rd) & RmwOrder.Acquire) != 0);
                RecordStore(a, GetPick(ins.Rs));
                break;
            case Op.Cas:
                // herd7's CAS: the write depends on the compared register Rs (its control input) and on Rt (data);
                // on success Rs receives the memory value only through the comparison (a pick dependency), on
                // failure as data. With Rs = XZR the read is NoRet (no acquire, not ordered by DMB LD).
                var expected = Get(ins.Rs);
                var desired = Get(ins.Rd);
                var mask = ins.Rs.Wide ? ulong.MaxValue : Mask32;
                a = Address(ins.Mem);
                readPick = MemPick(a);
                var control = expected.Deps.Union(GetPick(ins.Rs)).Union(WriteControl(a, GetPick(ins.Rd), (ins.Order & RmwOrder.Release) != 0));
                var (ok, old) = _cpu.CompareAndSwap(a, bits => (bits & mask) == expected.Bits, _ => desired, NoRetOrder(ins.Order, ins.Rs),
                    Label(ins, a), control, ins.Rs.IsZero);
                AfterRead(a, readPick, (NoRetOrder(ins.Order, ins.Rs) & RmwOrder.Acquire) != 0);
                if (ok)
                {
                    RecordStore(a, GetPick(ins.Rd));
                    Set(ins.Rs, new Val(old.Bits), old.Deps.Union(readPick));
                }
                else
                {
                    Set(ins.Rs, old, readPick);
                }
                break;
            case Op.Fence:
                _cpu.Fence(ins.Barrier);
                // pick-lob: what a barrier orders after a pick-dependent access is ordered after the pick's source.
                _cpu.AddControlDependency(ins.Barrier switch
                {
                    BarrierKind.DmbFull or BarrierKind.DsbFull => _readPicks.Union(_writePicks),
                    BarrierKind.DmbLd or BarrierKind.DsbLd => _readPicks,
                    BarrierKind.DmbSt or BarrierKind.DsbSt => _writePicks,
                    _ => DepSet.Empty,
                });
                break;
            case Op.DcCvau:
                _cpu.CacheMaintenance(BarrierKind.DcCvau, Get(ins.Rn));
                break;
            case Op.IcIvau:
                _cpu.CacheMaintenance(BarrierKind.IcIvau, Get(ins.Rn));
                break;
        }
        return pc + 1;
    }

    /// <summary>
    /// An LDXR ... STXR pair. herd7 lets every STXR succeed or fail: the runner explores once per set of failing
    /// STXR instances (<see cref="ExclusiveChoices"/>). A success is one read-modify-write (the instructions between
    /// compute the stored value from the loaded one), so the atomic axiom keeps other writes out of it; a failure
    /// is a plain load, no store, and status 1.
    /// </summary>
    private int Exclusive(Instruction ldx, int pc, int stxIndex)
    {
        var occurrence = _stxCount.TryGetValue(stxIndex, out var n) ? n : 0;
        _stxCount[stxIndex] = occurrence + 1;
        var key = (_thread.Id, stxIndex, occurrence);
        _exclusives.Reached(key);
        if (_exclusives.Fails(key))
        {
            var fa = Address(ldx.Mem);
            var fp = MemPick(fa);
            Set(ldx.Rd, _cpu.Load(fa, ldx.LoadKind, Label(ldx, fa)), fp);
            AfterRead(fa, fp, ldx.LoadKind != LoadKind.Plain);
            return pc + 1;
        }
        var stx = _thread.Code[stxIndex];
        var order = (ldx.LoadKind == LoadKind.Acquire ? RmwOrder.Acquire : RmwOrder.Relaxed)
            | (stx.StoreKind == StoreKind.Release ? RmwOrder.Release : RmwOrder.Relaxed);
        var a = Address(ldx.Mem);
        var readPick = MemPick(a);
        var control = WriteControl(a, DepSet.Empty, stx.StoreKind == StoreKind.Release);
        _cpu.AtomicRmw(a, old =>
        {
            Set(ldx.Rd, old, readPick);
            for (var k = pc + 1; k < stxIndex; k++) Step(_thread.Code[k], k);
            return WithPick(stx.Rd);
        }, order, Label(ldx, a), noReturn: false, control);
        AfterRead(a, readPick, ldx.LoadKind != LoadKind.Plain);
        // The store-exclusive is the location's latest local write now (lrs starts from it).
        _addressPick = GetPick(ldx.Mem.Base);
        RecordStore(a, GetPick(stx.Rd));
        Set(stx.Rs, new Val(0));
        return stxIndex + 1;
    }

    /// <summary>What witnesses call an access: the location, then the instruction ("x: STR W0,[X1]").</summary>
    private string Label(Instruction ins, Val address) => $"{_test.Layout.NameOf(address.Bits)}: {ins.Text}";

    private int Jump(Instruction ins) => _thread.Labels.TryGetValue(ins.Target!, out var to) ? to : throw new ThreadStop(StopReason.Discard, null);

    private Val Csel(Instruction ins, Val rm)
    {
        var bits = rm.Bits;
        if (ins.Invert) bits = ~bits;
        if (ins.Increment) bits = unchecked(bits + 1);
        return new Val(ins.Rd.Wide ? bits : bits & Mask32, rm.Deps);
    }

    private void Alu(Instruction ins)
    {
        var wide = ins.Rd.IsZero ? ins.Rn.Wide : ins.Rd.Wide;
        var a = Width(Get(ins.Rn), wide);
        var b = Width(Operand(ins.Src, wide), wide);
        var deps = a.Deps.Union(b.Deps);
        var pick = GetPick(ins.Rn).Union(PickOf(ins.Src));
        if (ins.SetFlags) _flagPick = pick;
        ulong r;
        switch (ins.Alu)
        {
            case AluOp.Add:
                r = unchecked(a.Bits + b.Bits);
                if (ins.SetFlags) Flags(a.Bits, b.Bits, r, wide, subtract: false, deps);
                break;
            case AluOp.Sub:
                r = unchecked(a.Bits - b.Bits);
                if (ins.SetFlags) Flags(a.Bits, b.Bits, r, wide, subtract: true, deps);
                break;
            case AluOp.And or AluOp.Bic:
                r = ins.Alu == AluOp.And ? a.Bits & b.Bits : a.Bits & ~b.Bits;
                if (ins.SetFlags) Flags(0, 0, r, wide, subtract: false, deps, logical: true);
                break;
            case AluOp.Orr:
                r = a.Bits | b.Bits;
                break;
            case AluOp.Orn:
                r = a.Bits | ~b.Bits;
                break;
            case AluOp.Eor:
                r = a.Bits ^ b.Bits;
                break;
            default:
                r = a.Bits ^ ~b.Bits;
                break;
        }
        // EOR W2,W0,W0 is 0 but still depends on W0: the result keeps both operands' dependencies.
        Set(ins.Rd, new Val(wide ? r : r & Mask32, deps), pick);
    }

    private void Flags(ulong a, ulong b, ulong r, bool wide, bool subtract, DepSet deps, bool logical = false)
    {
        var bits = wide ? 64 : 32;
        var top = 1UL << (bits - 1);
        var mask = wide ? ulong.MaxValue : Mask32;
        r &= mask;
        _n = (r & top) != 0;
        _z = r == 0;
        if (logical)
        {
            _c = false;
            _v = false;
        }
        else if (subtract)
        {
            _c = (a & mask) >= (b & mask);
            _v = ((a ^ b) & (a ^ r) & top) != 0;
        }
        else
        {
            _c = wide ? r < a : (a & mask) + (b & mask) > mask;
            _v = (~(a ^ b) & (a ^ r) & top) != 0;
        }
        _flagDeps = deps;
    }

    /// <summary>Evaluates a condition code (a branch records the control dependency itself; CSEL does not).</summary>
    private bool Holds(string cond)
    {
        return cond switch
        {
            "EQ" => _z,
            "NE" => !_z,
            "CS" or "HS" => _c,
            "CC" or "LO" => !_c,
            "MI" => _n,
            "PL" => !_n,
            "VS" => _v,
            "VC" => !_v,
            "HI" => _c && !_z,
            "LS" => !(_c && !_z),
            "GE" => _n == _v,
            "LT" => _n != _v,
            "GT" => !_z && _n == _v,
            "LE" => !(!_z && _n == _v),
            _ => true,
        };
    }

    private static Val Atomic(AluOp op, Val old, Val s, bool wide)
    {
        var a = old.Bits;
        var b = wide ? s.Bits : s.Bits & Mask32;
        var r = op switch
        {
            AluOp.Add => unchecked(a + b),
            AluOp.Clr => a & ~b,
            AluOp.Eor => a ^ b,
            AluOp.Set => a | b,
            AluOp.SMax => Signed(a, wide) >= Signed(b, wide) ? a : b,
            AluOp.SMin => Signed(a, wide) <= Signed(b, wide) ? a : b,
            AluOp.UMax => Math.Max(a, b),
            _ => Math.Min(a, b),
        };
        return new Val(wide ? r : r & Mask32, old.Deps.Union(s.Deps));
    }

    /// <summary>An atomic whose destination is the zero register returns nothing: its read is not an acquire (herd7's NoRet).</summary>
    private static RmwOrder NoRetOrder(RmwOrder order, Reg destination) => destination.IsZero ? order & ~RmwOrder.Acquire : order;

    private static long Signed(ulong v, bool wide) => wide ? (long)v : (int)(uint)v;

    private Val Address(MemOperand m)
    {
        var addr = Get(m.Base);
        if (m.Index is { } index) addr += Operand(index, wide: true);
        _addressPick = GetPick(m.Base).Union(m.Index is { } ix ? PickOf(ix) : DepSet.Empty);
        // A pick dependency into an address orders every later write (this one too, if it is a write) and a later
        // ISB (pick-addr-dep; po; [W] and ...; [CSE]; po), but not a read that uses it: record it as a control
        // dependency, which orders exactly those.
        if (!_addressPick.IsEmpty) _cpu.AddControlDependency(_addressPick);
        if (!m.PostIndex && m.Offset != 0) addr += new Val(unchecked((ulong)m.Offset));
        if (!_test.Layout.IsKnownAddress(addr.Bits))
        {
            // Only a value promised by load buffering or a garbage pointer gets here; herd7 has no such execution.
            throw new ThreadStop(StopReason.Discard, null);
        }
        return addr;
    }

    private void WriteBack(MemOperand m)
    {
        if (m.PreIndex || m.PostIndex) Set(m.Base, Get(m.Base) + new Val(unchecked((ulong)m.Offset)), GetPick(m.Base));
    }

    private Val Operand(Operand o, bool wide)
    {
        if (o.Register is not { } reg) return new Val(wide ? o.Immediate : o.Immediate & Mask32);
        var v = Get(reg);
        var bits = v.Bits;
        bits = o.Shift switch
        {
            "LSL" => bits << o.Amount,
            "LSR" => bits >> o.Amount,
            "ASR" => (ulong)(Signed(bits, reg.Wide) >> o.Amount),
            "SXTW" => (ulong)(long)(int)(uint)bits << o.Amount,
            "UXTW" => (bits & Mask32) << o.Amount,
            _ => bits << o.Amount,
        };
        return new Val(bits, v.Deps);
    }

    private static Val Width(Val v, bool wide) => wide ? v : new Val(v.Bits & Mask32, v.Deps);

    private Val Get(Reg r)
    {
        if (r.IsZero) return new Val(0);
        var v = _regs[r.Number];
        return r.Wide ? v : new Val(v.Bits & Mask32, v.Deps);
    }

    private void Set(Reg r, Val v, DepSet pick = default)
    {
        if (r.IsZero) return;
        _pick[r.Number] = pick;
        _regs[r.Number] = r.Wide ? v : new Val(v.Bits & Mask32, v.Deps);
    }
}
