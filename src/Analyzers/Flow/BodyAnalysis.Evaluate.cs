using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PtGuard.Analyzers.Flow;

internal sealed partial class BodyAnalysis
{
    /// <summary>Evaluates <paramref name="op"/> in <paramref name="s"/> (children first, in evaluation order) and returns its value.</summary>
    private int Evaluate(FlowState s, IOperation? op, bool topLevel = false)
    {
        if (op is null) return ValueTable.None;
        if (topLevel && op is not IInvocationOperation && op is not IExpressionStatementOperation { Operation: IInvocationOperation }) MarkWork(s, op);
        switch (op)
        {
            case IExpressionStatementOperation statement:
                Evaluate(s, statement.Operation);
                return ValueTable.None;
            case IInvocationOperation invocation:
                return Invoke(s, invocation);
            case ILocalReferenceOperation local:
                return s.GetVar(local.Local, Values);
            case IParameterReferenceOperation parameter:
                return s.GetVar(parameter.Parameter, Values);
            case IFieldReferenceOperation field:
                Evaluate(s, field.Instance);
                if (KnownSymbols.IsWalkerKey(field.Field)) return Values.KeyRef(field.Field);
                if (KnownSymbols.IsInitMm(field.Field)) return Values.InitMm();
                return field.Field.IsStatic ? s.GetVar(field.Field, Values) : Values.Opaque(op);
            case IPropertyReferenceOperation property:
                Evaluate(s, property.Instance);
                foreach (var argument in property.Arguments) Evaluate(s, argument.Value);
                if (KnownSymbols.IsWalkerKey(property.Property)) return Values.KeyRef(property.Property);
                if (KnownSymbols.IsInitMm(property.Property)) return Values.InitMm();
                return Values.Opaque(property.Property);
            case ILiteralOperation literal:
                return literal.ConstantValue is { HasValue: true, Value: bool b } ? Values.Const(b ? 1 : 0) : Values.Opaque(literal.ConstantValue.Value ?? op);
            case ISimpleAssignmentOperation assignment:
            {
                var value = Evaluate(s, assignment.Value);
                Assign(s, assignment.Target, value);
                return value;
            }
            case ICompoundAssignmentOperation compound:
            {
                var left = Evaluate(s, compound.Target);
                var right = Evaluate(s, compound.Value);
                var value = KnownSymbols.IsPointerType(compound.Target.Type) ? Values.Derived(left) : Values.Arith(op, left, right);
                Assign(s, compound.Target, value);
                return value;
            }
            case IIncrementOrDecrementOperation increment:
            {
                var old = Evaluate(s, increment.Target);
                var value = KnownSymbols.IsPointerType(increment.Target.Type) ? Values.Derived(old) : Values.Arith(op, old, ValueTable.None);
                Assign(s, increment.Target, value);
                return increment.IsPostfix ? old : value;
            }
            case IBinaryOperation binary:
            {
                var left = Evaluate(s, binary.LeftOperand);
                var right = Evaluate(s, binary.RightOperand);
                if (KnownSymbols.IsPointerType(binary.Type)) return Values.Derived(KnownSymbols.IsPointerType(binary.LeftOperand.Type) ? left : right);
                return Values.Arith(op, left, right);
            }
            case IUnaryOperation unary:
            {
                var operand = Evaluate(s, unary.Operand);
                return unary.OperatorKind == UnaryOperatorKind.Not ? Values.Not(operand) : Values.Arith(op, operand, ValueTable.None);
            }
            case IConversionOperation conversion:
                return Evaluate(s, conversion.Operand);
            case IParenthesizedOperation parenthesized:
                return Evaluate(s, parenthesized.Operand);
            case IFlowCaptureOperation capture:
            {
                var value = Evaluate(s, capture.Value);
                s.Captures[capture.Id] = value;
                return value;
            }
            case IFlowCaptureReferenceOperation captured:
                return s.Captures.TryGetValue(captured.Id, out var v) ? v : Values.Opaque(op);
            case IFlowAnonymousFunctionOperation lambda:
                if (_reporting && _isRoot) _session.Lambdas.Add((lambda, _cfg));
                return Values.Opaque(op);
            default:
                foreach (var child in op.ChildOperations)
                {
                    Evaluate(s, child);
                }
                return Values.Opaque(op);
        }
    }

    private void Assign(FlowState s, IOperation target, int value)
    {
        switch (target)
        {
            case ILocalReferenceOperation local:
                s.Vars[local.Local] = value;
                break;
            case IParameterReferenceOperation parameter:
                s.Vars[parameter.Parameter] = value;
                break;
            case IFieldReferenceOperation { Field.IsStatic: true } field:
                s.Vars[field.Field] = value;
                break;
            case IFlowCaptureReferenceOperation captured:
                s.Captures[captured.Id] = value;
                break;
        }
    }

    /// <summary>Anything between a lock and its unlock is work inside the cycle.</summary>
    private static void MarkWork(FlowState s, IOperation op)
    {
        if (s.OpenLocks.Count == 0) return;
        foreach (var open in System.Linq.Enumerable.ToList(s.OpenLocks))
        {
            if (open.Work is not null) continue;
            s.OpenLocks.Remove(open);
            s.OpenLocks.Add(open with { Work = op });
        }
    }

    /// <summary>The state on the edge where <paramref name="condition"/> evaluated to <paramref name="truth"/>; null when that edge cannot be taken.</summary>
    private FlowState? Assume(FlowState s, int condition, bool truth)
    {
        if (condition == ValueTable.None) return s;
        var v = Values[condition];
        switch (v.Kind)
        {
            case ValueKind.Const:
                return (v.A != 0) == truth ? s : null;
            case ValueKind.Not:
                return Assume(s, v.A, !truth);
            case ValueKind.KeyTest:
            {
                var site = (IOperation)v.Key!;
                var walker = Values[v.A].Kind == ValueKind.KeyRef;
                var r = s.Clone();
                if (truth)
                {
                    if (walker) r.WalkerKeyOn = true;
                    else r.OtherKeyOn = site;
                }
                else if (walker)
                {
                    KeyOff(r, site);
                }
                return r;
            }
            case ValueKind.TryLock:
            {
                var site = (IOperation)v.Key!;
                var r = s.Clone();
                r.PendingTrylocks.RemoveWhere(p => p.Site == site);
                if (truth) Acquire(r, v.A, LockMode.Shared, site, blocking: false);
                return r;
            }
            default:
                return s;
        }
    }
}
