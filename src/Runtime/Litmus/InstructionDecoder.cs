using System.Globalization;
using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Litmus;

/// <summary>
/// Decodes the text of one AArch64 instruction as herd7 writes it (<c>LDR W0,[X1,W2,SXTW]</c>,
/// <c>B.EQ L0</c>, <c>SWPAL W1,W2,[X3]</c>). Anything outside the supported subset is an error naming it.
/// </summary>
internal static class InstructionDecoder
{
    private static readonly string[] Conds = { "EQ", "NE", "CS", "HS", "CC", "LO", "MI", "PL", "VS", "VC", "HI", "LS", "GE", "LT", "GT", "LE", "AL", "NV" };

    private static readonly Dictionary<string, AluOp> AluOps = new(StringComparer.Ordinal)
    {
        ["ADD"] = AluOp.Add, ["SUB"] = AluOp.Sub, ["AND"] = AluOp.And, ["ORR"] = AluOp.Orr,
        ["EOR"] = AluOp.Eor, ["BIC"] = AluOp.Bic, ["ORN"] = AluOp.Orn, ["EON"] = AluOp.Eon,
    };

    private static readonly Dictionary<string, AluOp> AtomicOps = new(StringComparer.Ordinal)
    {
        ["ADD"] = AluOp.Add, ["CLR"] = AluOp.Clr, ["EOR"] = AluOp.Eor, ["SET"] = AluOp.Set,
        ["SMAX"] = AluOp.SMax, ["SMIN"] = AluOp.SMin, ["UMAX"] = AluOp.UMax, ["UMIN"] = AluOp.UMin,
    };

    /// <summary>Decodes <paramref name="text"/>; errors are reported at <paramref name="file"/>:<paramref name="line"/>.</summary>
    public static Instruction Decode(string text, string file, int line)
    {
        var d = new Decoding(System.Text.RegularExpressions.Regex.Replace(text.Trim(), @"\s+", " "), file, line);
        return d.Run();
    }

    public static bool IsCond(string s) => Array.IndexOf(Conds, s) >= 0;

    private sealed class Decoding
    {
        private readonly string _text;
        private readonly string _file;
        private readonly int _line;
        private readonly string _mnemonic;
        private readonly List<string> _ops;

        public Decoding(string text, string file, int line)
        {
            _text = text;
            _file = file;
            _line = line;
            var space = text.IndexOfAny(new[] { ' ', '\t' });
            _mnemonic = (space < 0 ? text : text[..space]).ToUpperInvariant();
            _ops = SplitOperands(space < 0 ? "" : text[(space + 1)..]);
        }

        public Instruction Run()
        {
            var m = _mnemonic;
            switch (m)
            {
                case "NOP":
                    Count(0);
                    return Make(Op.Nop);
                case "MOV":
                    Count(2);
                    return Make(Op.Mov, rd: RegW(0), src: Operand2(1));
                case "MVN":
                    Count(2);
                    return Make(Op.Mvn, rd: RegW(0), src: Operand2(1));
                case "NEG":
                    Count(2);
                    return Make(Op.Alu, rd: RegW(0), rn: new Reg(Reg.Zero, RegW(0).Wide), src: Operand2(1), alu: AluOp.Sub);
                case "CMP" or "CMN" or "TST":
                    Count(2, 3);
                    var rn = R(0);
                    return Make(Op.Alu, rd: new Reg(Reg.Zero, rn.Wide), rn: rn, src: Operand2(1), setFlags: true,
                        alu: m switch { "CMP" => AluOp.Sub, "CMN" => AluOp.Add, _ => AluOp.And });
                case "CSEL" or "CSINC" or "CSINV" or "CSNEG":
                    Count(4);
                    return Make(Op.Csel, rd: RegW(0), rn: R(1), src: new Operand(R(2), 0, "", 0), cond: Cond(_ops[3]),
                        increment: m is "CSINC" or "CSNEG", invert: m is "CSINV" or "CSNEG");
                case "CSET":
                    Count(2);
                    var rdc = RegW(0);
                    return Make(Op.Csel, rd: rdc, rn: new Reg(Reg.Zero, rdc.Wide), src: new Operand(new Reg(Reg.Zero, rdc.Wide), 0, "", 0),
                        cond: Invert(Cond(_ops[1])), increment: true);
                case "B":
                    Count(1);
                    return Make(Op.B, target: Label(0));
                case "CBZ" or "CBNZ":
                    Count(2);
                    return Make(m == "CBZ" ? Op.Cbz : Op.Cbnz, rn: R(0), target: Label(1));
                case "TBZ" or "TBNZ":
                    Count(3);
                    return Make(m == "TBZ" ? Op.Tbz : Op.Tbnz, rn: R(0), bit: (int)Imm(1), target: Label(2));
                case "LDR" or "LDUR" or "LDAR" or "LDAPR" or "LDAPUR":
                    Count(2, 3);
                    return Make(Op.Load, rd: RegW(0), mem: Mem(1), loadKind: m switch
                    {
                        "LDAR" => LoadKind.Acquire,
                        "LDAPR" or "LDAPUR" => LoadKind.AcquirePC,
                        _ => LoadKind.Plain,
                    });
                case "STR" or "STUR" or "STLR" or "STLUR":
                    Count(2, 3);
                    return Make(Op.Store, rd: R(0), mem: Mem(1), storeKind: m is "STLR" or "STLUR" ? StoreKind.Release : StoreKind.Plain);
                case "ISB":
                    Count(0, 1);
                    return Make(Op.Fence, barrier: BarrierKind.Isb);
                case "DMB" or "DSB":
                    Count(1);
                    return Make(Op.Fence, barrier: Barrier(m == "DSB", _ops[0]));
                case "DC" or "IC":
                    return CacheOp(m);
            }

            if (m.StartsWith("B.", StringComparison.Ordinal) && IsCond(m[2..]))
            {
                Count(1);
                return Make(Op.BCond, cond: m[2..], target: Label(0));
            }
            if (m.Length == 3 && m[0] == 'B' && IsCond(m[1..]))
            {
                Count(1);
                return Make(Op.BCond, cond: m[1..], target: Label(0));
            }
            if (AluOps.TryGetValue(m, out var alu) || (m.EndsWith('S') && AluOps.TryGetValue(m[..^1], out alu) && alu is AluOp.Add or AluOp.Sub or AluOp.And or AluOp.Bic))
            {
                Count(3, 4);
                return Make(Op.Alu, rd: RegW(0), rn: R(1), src: Operand2(2), alu: alu, setFlags: m.EndsWith('S') && !AluOps.ContainsKey(m));
            }
            if (m is "LDXR" or "LDAXR")
            {
                Count(2);
                return Make(Op.Ldx, rd: RegW(0), mem: Mem(1), loadKind: m == "LDAXR" ? LoadKind.Acquire : LoadKind.Plain);
            }
            if (m is "STXR" or "STLXR")
            {
                Count(3);
                return Make(Op.Stx, rs: R(0), rd: R(1), mem: Mem(2), storeKind: m == "STLXR" ? StoreKind.Release : StoreKind.Plain);
            }
            if (m.StartsWith("LDX", StringComparison.Ordinal) || m.StartsWith("LDAX", StringComparison.Ordinal)
                || m.StartsWith("STX", StringComparison.Ordinal) || m.StartsWith("STLX", StringComparison.Ordinal))
            {
                throw Error($"'{_mnemonic}': only LDXR/LDAXR and STXR/STLXR of a whole register are supported among the exclusives");
            }
            if (m is "LDRB" or "LDRH" or "STRB" or "STRH" or "LDRSB" or "LDRSH" or "LDRSW" or "LDP" or "STP" or "LDARB" or "LDARH" or "STLRB" or "STLRH")
            {
                throw Error($"'{_mnemonic}': mixed-size and pair accesses are not supported (every location is one 64-bit word)");
            }
            if (TryAtomic(m) is { } atomic) return atomic;
            throw Error($"unknown or unsupported instruction '{_text}'");
        }

        private Instruction? TryAtomic(string m)
        {
            if (m.StartsWith("SWP", StringComparison.Ordinal) && Order(m[3..]) is { } swpOrder)
            {
                Count(3);
                return Make(Op.Swp, rs: R(0), rd: RegW(1), mem: Mem(2), order: swpOrder);
            }
            if (m.StartsWith("CAS", StringComparison.Ordinal) && Order(m[3..]) is { } casOrder)
            {
                Count(3);
                return Make(Op.Cas, rs: RegW(0), rd: R(1), mem: Mem(2), order: casOrder);
            }
            foreach (var (name, op) in AtomicOps)
            {
                if (m.StartsWith("LD" + name, StringComparison.Ordinal) && Order(m[(2 + name.Length)..]) is { } ldOrder)
                {
                    Count(3);
                    return Make(Op.LdOp, rs: R(0), rd: RegW(1), mem: Mem(2), alu: op, order: ldOrder);
                }
                if (m.StartsWith("ST" + name, StringComparison.Ordinal) && m[(2 + name.Length)..] is "" or "L")
                {
                    Count(2);
                    var rs = R(0);
                    return Make(Op.LdOp, rs: rs, rd: new Reg(Reg.Zero, rs.Wide), mem: Mem(1), alu: op,
                        order: m.EndsWith('L') ? RmwOrder.Release : RmwOrder.Relaxed);
                }
            }
            return null;
        }

        private Instruction CacheOp(string m)
        {
            Count(2);
            var op = _ops[0].ToUpperInvariant();
            if (m == "DC" && op == "CVAU") return Make(Op.DcCvau, rn: R(1));
            if (m == "IC" && op == "IVAU") return Make(Op.IcIvau, rn: R(1));
            throw Error($"unsupported cache maintenance '{_text}' (only DC CVAU and IC IVAU)");
        }

        private RmwOrder? Order(string suffix) => suffix switch
        {
            "" => RmwOrder.Relaxed,
            "A" => RmwOrder.Acquire,
            "L" => RmwOrder.Release,
            "AL" => RmwOrder.AcquireRelease,
            "B" or "H" or "AB" or "AH" or "LB" or "LH" or "ALB" or "ALH" =>
                throw Error($"'{_mnemonic}': byte and halfword atomics are not supported (every location is one 64-bit word)"),
            _ => null,
        };

        private BarrierKind Barrier(bool dsb, string option) => option.ToUpperInvariant() switch
        {
            "SY" or "ISH" or "OSH" or "NSH" => dsb ? BarrierKind.DsbFull : BarrierKind.DmbFull,
            "LD" or "ISHLD" or "OSHLD" or "NSHLD" => dsb ? BarrierKind.DsbLd : BarrierKind.DmbLd,
            "ST" or "ISHST" or "OSHST" or "NSHST" => dsb ? BarrierKind.DsbSt : BarrierKind.DmbSt,
            _ => throw Error($"unknown barrier option '{option}' in '{_text}'"),
        };

        private Instruction Make(Op op, Reg rd = default, Reg rn = default, Reg rs = default, Operand src = default,
            MemOperand mem = default, AluOp alu = AluOp.Add, bool setFlags = false, string cond = "AL", string? target = null,
            int bit = 0, LoadKind loadKind = LoadKind.Plain, StoreKind storeKind = StoreKind.Plain, RmwOrder order = RmwOrder.Relaxed,
            BarrierKind barrier = default, bool increment = false, bool invert = false) => new()
        {
            Op = op,
            Text = _text,
            Line = _line,
            Rd = rd,
            Rn = rn,
            Rs = rs,
            Src = src,
            Mem = mem,
            Alu = alu,
            SetFlags = setFlags,
            Cond = cond,
            Target = target,
            Bit = bit,
            LoadKind = loadKind,
            StoreKind = storeKind,
            Order = order,
            Barrier = barrier,
            Increment = increment,
            Invert = invert,
        };

        private void Count(int min, int? max = null)
        {
            var hi = max ?? min;
            if (_ops.Count < min || _ops.Count > hi)
            {
                throw Error($"'{_mnemonic}' takes {(min == hi ? min.ToString(CultureInfo.InvariantCulture) : $"{min} to {hi}")} operand{(hi == 1 ? "" : "s")}, got {_ops.Count} in '{_text}'");
            }
        }

        private LitmusException Error(string what) => new(_file, _line, what);

        private Reg R(int k) => ParseReg(_ops[k]) ?? throw Error($"'{_ops[k]}' is not a register in '{_text}'");

        /// <summary>A destination register: the zero register is allowed and discards the result.</summary>
        private Reg RegW(int k) => R(k);

        private string Label(int k)
        {
            var s = _ops[k];
            if (s.Length == 0 || !(char.IsLetter(s[0]) || s[0] == '_' || s[0] == '.') || !s.All(c => char.IsLetterOrDigit(c) || c is '_' || c is '.'))
            {
                throw Error($"'{s}' is not a label in '{_text}'");
            }
            return s;
        }

        private string Cond(string s)
        {
            var c = s.Trim().ToUpperInvariant();
            return IsCond(c) ? c : throw Error($"'{s}' is not a condition code in '{_text}'");
        }

        private static string Invert(string cond) => cond switch
        {
            "EQ" => "NE", "NE" => "EQ", "CS" or "HS" => "CC", "CC" or "LO" => "CS", "MI" => "PL", "PL" => "MI",
            "VS" => "VC", "VC" => "VS", "HI" => "LS", "LS" => "HI", "GE" => "LT", "LT" => "GE", "GT" => "LE", "LE" => "GT",
            "AL" => "NV", _ => "AL",
        };

        private ulong Imm(int k) => ParseImm(_ops[k]) ?? throw Error($"'{_ops[k]}' is not an immediate in '{_text}'");

        private Operand Operand2(int k)
        {
            var s = _ops[k];
            if (ParseImm(s) is { } imm)
            {
                if (_ops.Count > k + 1)
                {
                    // "#imm, LSL #12"
                    var (kind, amount) = ShiftOf(k + 1);
                    if (kind != "LSL") throw Error($"only LSL may shift an immediate in '{_text}'");
                    return Operand.Imm(imm << amount);
                }
                return Operand.Imm(imm);
            }
            var reg = R(k);
            if (_ops.Count > k + 1)
            {
                var (kind, amount) = ShiftOf(k + 1);
                return new Operand(reg, 0, kind, amount);
            }
            return new Operand(reg, 0, "", 0);
        }

        private (string Kind, int Amount) ShiftOf(int k)
        {
            if (k != _ops.Count - 1) throw Error($"too many operands in '{_text}'");
            var parts = _ops[k].Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            var kind = parts[0].ToUpperInvariant();
            if (kind is not ("LSL" or "LSR" or "ASR" or "SXTW" or "UXTW" or "SXTX" or "UXTX")) throw Error($"unknown shift or extend '{_ops[k]}' in '{_text}'");
            var amount = 0;
            if (parts.Length == 2)
            {
                amount = (int)(ParseImm(parts[1]) ?? throw Error($"bad shift amount '{parts[1]}' in '{_text}'"));
            }
            else if (parts.Length > 2 || (parts.Length == 1 && kind is "LSL" or "LSR" or "ASR"))
            {
                throw Error($"bad shift '{_ops[k]}' in '{_text}'");
            }
            if (amount is < 0 or > 63) throw Error($"shift amount out of range in '{_text}'");
            return (kind, amount);
        }

        private MemOperand Mem(int k)
        {
            var s = _ops[k].Trim();
            var pre = s.EndsWith('!');
            if (pre) s = s[..^1].TrimEnd();
            if (!s.StartsWith('[') || !s.EndsWith(']')) throw Error($"'{_ops[k]}' is not a memory operand [Xn...] in '{_text}'");
            var inner = SplitOperands(s[1..^1]);
            if (inner.Count == 0) throw Error($"empty memory operand in '{_text}'");
            var bas = ParseReg(inner[0]) ?? throw Error($"'{inner[0]}' is not a base register in '{_text}'");
            if (!bas.Wide) throw Error($"the base register of a memory operand must be an X register in '{_text}'");
            long offset = 0;
            Operand? index = null;
            if (inner.Count >= 2)
            {
                if (ParseImm(inner[1]) is { } off)
                {
                    if (inner.Count > 2) throw Error($"malformed memory operand in '{_text}'");
                    offset = (long)off;
                }
                else
                {
                    var idx = ParseReg(inner[1]) ?? throw Error($"'{inner[1]}' is not an index register in '{_text}'");
                    var kind = "";
                    var amount = 0;
                    if (inner.Count == 3)
                    {
                        var parts = inner[2].Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                        kind = parts[0].ToUpperInvariant();
                        if (kind is not ("LSL" or "SXTW" or "UXTW" or "SXTX" or "UXTX")) throw Error($"unknown extend '{inner[2]}' in '{_text}'");
                        if (parts.Length == 2) amount = (int)(ParseImm(parts[1]) ?? throw Error($"bad shift amount in '{_text}'"));
                    }
                    else if (inner.Count > 3)
                    {
                        throw Error($"malformed memory operand in '{_text}'");
                    }
                    if (!idx.Wide && kind is not ("SXTW" or "UXTW")) throw Error($"a W index register needs SXTW or UXTW in '{_text}'");
                    index = new Operand(idx, 0, kind, amount);
                }
            }
            var post = false;
            if (_ops.Count == k + 2)
            {
                // Post-index: [Xn], #imm
                if (pre || inner.Count != 1) throw Error($"malformed post-indexed operand in '{_text}'");
                offset = (long)(ParseImm(_ops[k + 1]) ?? throw Error($"'{_ops[k + 1]}' is not a post-index immediate in '{_text}'"));
                post = true;
            }
            if (pre && index is not null) throw Error($"pre-index needs an immediate offset in '{_text}'");
            return new MemOperand(bas, index, offset, pre, post);
        }
    }

    /// <summary>X0–X30, W0–W30, XZR, WZR (any case).</summary>
    public static Reg? ParseReg(string s)
    {
        s = s.Trim().ToUpperInvariant();
        if (s.Length < 2 || (s[0] != 'X' && s[0] != 'W')) return null;
        var wide = s[0] == 'X';
        if (s[1..] == "ZR") return new Reg(Reg.Zero, wide);
        if (!int.TryParse(s.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 30) return null;
        return new Reg(n, wide);
    }

    /// <summary><c>#12</c>, <c>#0x1f</c>, <c>#-1</c> (the <c>#</c> is optional).</summary>
    public static ulong? ParseImm(string s)
    {
        s = s.Trim();
        if (s.StartsWith('#')) s = s[1..].Trim();
        return LitmusParser.ParseNumber(s);
    }

    /// <summary>Splits operands at top-level commas (not inside brackets).</summary>
    public static List<string> SplitOperands(string s)
    {
        var list = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '[') depth++;
            else if (s[i] == ']') depth--;
            else if (s[i] == ',' && depth == 0)
            {
                list.Add(s[start..i].Trim());
                start = i + 1;
            }
        }
        var last = s[start..].Trim();
        if (last.Length > 0 || list.Count > 0) list.Add(last);
        return list;
    }
}
