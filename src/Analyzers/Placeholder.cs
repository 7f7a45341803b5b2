namespace PtGuard.Analyzers
{
    internal static class AssemblyMarker
    {
    }
}
