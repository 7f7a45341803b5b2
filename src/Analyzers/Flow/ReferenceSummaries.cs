using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PtGuard.Analyzers.Flow;

/// <summary>
/// What the runtime's Protocol A reference functions do, for code that calls them from the referenced assembly (their
/// bodies are metadata, and they carry no annotation that says they take init_mm's read lock): each takes and drops
/// the read lock when the walker key is on, unless called with <c>acquireMmapLock: false</c>. That is what makes
/// "Protocol A nested in Protocol B" (KnownBad.ANestedInB) a deadlock. Calls to these functions compiled from source
/// are analysed from their bodies instead.
/// </summary>
internal static class ReferenceSummaries
{
    private const string ProtocolA = "PtGuard.Runtime.Reference.ProtocolA";

    /// <summary>Whether the call takes init_mm's read lock (blocking) on some path; false for anything else.</summary>
    public static bool TakesInitMmReadLock(IInvocationOperation call, ValueTable values, int[] args)
    {
        var method = call.TargetMethod;
        if (method.DeclaringSyntaxReferences.Length > 0 || method.ContainingType?.ToDisplayString() != ProtocolA) return false;
        switch (method.Name)
        {
            case "PmdFreePtePage":
            case "PudFreePmdTable":
                return true;
            case "PmdFreePteTable":
                var flag = args.Length > 2 ? args[2] : ValueTable.None;
                return flag == ValueTable.None || values[flag].Kind != ValueKind.Const || values[flag].A != 0;
            default:
                return false;
        }
    }
}
