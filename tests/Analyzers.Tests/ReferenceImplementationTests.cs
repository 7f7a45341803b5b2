using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PtGuard.Analyzers.Tests.Verifiers;

namespace PtGuard.Analyzers.Tests;

/// <summary>
/// The analyzer judges the runtime's reference implementations, compiled from src/Runtime/Reference as sources (so
/// that the helpers they call are analysed, not opaque metadata): the good ones are silent under their protocol, each
/// known-bad one is flagged with exactly the rule that names its mistake.
/// </summary>
public class ReferenceImplementationTests
{
    private static readonly Lazy<Task<Dictionary<string, SortedSet<string>>>> UnderA = new(() => JudgeAsync("a"));
    private static readonly Lazy<Task<Dictionary<string, SortedSet<string>>>> UnderB = new(() => JudgeAsync("b"));

    // Every class of the file counts, nested ones included ("ProtocolB.Helpers").
    [Fact]
    public async Task ProtocolA_v6_is_silent_under_protocol_a() => Assert.Empty(IdsUnder(await UnderA.Value, "ProtocolA"));

    [Fact]
    public async Task ProtocolB_is_silent_under_protocol_b() => Assert.Empty(IdsUnder(await UnderB.Value, "ProtocolB"));

    [Theory]
    [InlineData("PrePatch", DiagnosticIds.MissingLockCycle)]
    [InlineData("CycleBeforeFlush", DiagnosticIds.StepsOutOfOrder)]
    [InlineData("V5EnableDisable", DiagnosticIds.UncountedKeyBracket)]
    [InlineData("LeafOnlyFlush", DiagnosticIds.LeafOnlyFlush)]
    [InlineData("ANestedInB", DiagnosticIds.NestedReadLock)]
    public async Task Known_bad_is_flagged_under_protocol_a_with_the_rule_naming_its_mistake(string knownBad, string id) =>
        Assert.Equal(new[] { id }, Ids(await UnderA.Value, "KnownBad." + knownBad));

    [Fact]
    public async Task ANestedInB_is_a_nested_read_lock_under_protocol_b_too() =>
        Assert.Equal(new[] { DiagnosticIds.NestedReadLock }, Ids(await UnderB.Value, "KnownBad.ANestedInB"));

    [Fact]
    public async Task PrePatch_is_unprotected_under_protocol_b() =>
        Assert.Equal(new[] { DiagnosticIds.FreeNotUnderReadLock }, Ids(await UnderB.Value, "KnownBad.PrePatch"));

    private static string[] IdsUnder(Dictionary<string, SortedSet<string>> judged, string cls) =>
        judged.Where(kv => kv.Key == cls || kv.Key.StartsWith(cls + ".", StringComparison.Ordinal)).SelectMany(kv => kv.Value).ToArray();

    private static string[] Ids(Dictionary<string, SortedSet<string>> judged, string cls) =>
        judged.TryGetValue(cls, out var ids) ? ids.ToArray() : Array.Empty<string>();

    private static async Task<Dictionary<string, SortedSet<string>>> JudgeAsync(string protocol)
    {
        var folder = Path.Combine(RepositoryRoot(), "src", "Runtime", "Reference");
        var files = new[] { "ProtocolA.cs", "ProtocolB.cs", "KnownBad.cs" }.Select(f => (Path.Combine(folder, f), File.ReadAllText(Path.Combine(folder, f))));
        var result = await AnalyzerRunner.RunAsync(AnalyzerRunner.Compile(files, name: "Reference"), protocol);
        Assert.Empty(result.AnalyzerExceptions);
        Assert.Empty(result.InternalErrors);
        var judged = new Dictionary<string, SortedSet<string>>();
        foreach (var d in result.Diagnostics)
        {
            var node = d.Location.SourceTree!.GetRoot().FindNode(d.Location.SourceSpan);
            var classes = node.AncestorsAndSelf().OfType<ClassDeclarationSyntax>().Reverse().Select(c => c.Identifier.Text).Take(2);
            var key = string.Join(".", classes);
            if (!judged.TryGetValue(key, out var set)) judged[key] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(d.Id);
        }
        return judged;
    }

    /// <summary>The folder holding PtGuard.sln, found by walking up from the test assembly.</summary>
    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PtGuard.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("PtGuard.sln not found above " + AppContext.BaseDirectory);
    }
}
