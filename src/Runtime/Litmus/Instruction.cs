using PtGuard.Runtime.Memory;

namespace PtGuard.Runtime.Litmus;

/// <summary>What an instruction does; the decoder maps every supported mnemonic onto one of these.</summary>
internal enum Op
{
    Nop,
    Mov,
    Mvn,
    Alu,
    Cmp,
    Csel,
    B,
    BCond,
    Cbz,
    Cbnz,
    Tbz,
    Tbnz,
    Load,
    Store,
    Ldx,
    Stx,
    Swp,
    LdOp,
    Cas,
    Fence,
    DcCvau,
    IcIvau,
}

/// <summary>Arithmetic of ADD/SUB/AND/ORR/EOR/BIC and of the LDADD family.</summary>
internal enum AluOp
{
    Add,
    Sub,
    And,
    Orr,
    Eor,
    Bic,
    Orn,
    Eon,
    Clr,
    Set,
    SMax,
    SMin,
    UMax,
    UMin,
}

/// <summary>A general-purpose register: number 0–30, or 31 for the zero register; <see cref="Wide"/> for X, not W.</summary>
internal readonly record struct Reg(int Number, bool Wide)
{
    public const int Zero = 31;

    public bool IsZero => Number == Zero;

    public override string ToString() => (Wide ? "X" : "W") + (IsZero ? "ZR" : Number.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A second operand: a register (optionally shifted or extended) or an immediate.</summary>
internal readonly record struct Operand(Reg? Register, ulong Immediate, string Shift, int Amount)
{
    public static Operand Imm(ulong v) => new(null, v, "", 0);
}

/// <summary>A memory operand: base register plus an immediate or a (shifted/extended) index register, with optional writeback.</summary>
internal readonly record struct MemOperand(Reg Base, Operand? Index, long Offset, bool PreIndex, bool PostIndex);

/// <summary>One decoded instruction of a litmus thread.</summary>
internal sealed class Instruction
{
    public required Op Op { get; init; }
    public required string Text { get; init; }
    public int Line { get; init; }
    public Reg Rd { get; init; }
    public Reg Rn { get; init; }
    public Reg Rs { get; init; }
    public Operand Src { get; init; }
    public MemOperand Mem { get; init; }
    public AluOp Alu { get; init; }
    public bool SetFlags { get; init; }
    public bool Invert { get; init; }
    public bool Increment { get; init; }
    public string Cond { get; init; } = "AL";
    public string? Target { get; init; }
    public int Bit { get; init; }
    public LoadKind LoadKind { get; init; }
    public StoreKind StoreKind { get; init; }
    public RmwOrder Order { get; init; }
    public BarrierKind Barrier { get; init; }

    public override string ToString() => Text;
}
