using Microsoft.CodeAnalysis.Testing;
using PtGuard.CodeFixes.Tests.Verifiers;

namespace PtGuard.CodeFixes.Tests.Rules;

/// <summary>Every rule's sample, fixed once and then again: the second pass changes nothing and the rule is silent.</summary>
public class IdempotenceTests
{
    public static TheoryData<string, string, string> Samples() => new()
    {
        { "PTG0001", PTG0001MissingClearTests.Before, "a" },
        { "PTG0002", PTG0002MissingFlushTests.Before, "a" },
        { "PTG0003", PTG0003LeafOnlyFlushTests.Before, "a" },
        { "PTG0004", PTG0004MissingLockCycleTests.Before, "a" },
        { "PTG0005", PTG0005StepsOutOfOrderTests.Before, "a" },
        { "PTG0006", PTG0006MalformedLockCycleTests.Before, "a" },
        { "PTG0007", PTG0007UnconditionalLockCycleTests.Before, "a" },
        { "PTG0008", PTG0008LockFreeChildNotIsolatedTests.Before, "a" },
        { "PTG0009", PTG0009WalkWithoutKeyBracketTests.Before, "a" },
        { "PTG0010", PTG0010KeyBracketNotOnAllPathsTests.Before, "a" },
        { "PTG0011", PTG0011UncountedKeyBracketTests.Before, "a" },
        { "PTG0012", PTG0012FreeNotUnderReadLockTests.Before, "b" },
        { "PTG0013", PTG0013TrylockResultIgnoredTests.Before, "b" },
        { "PTG0014", PTG0014NestedReadLockTests.Before, "b" },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Second_application_changes_nothing(string id, string markup, string protocol)
    {
        TestFileMarkupParser.GetSpans(markup, out var source, out System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan>> _);
        var project = FixWorkspace.Create(new[] { ("/0/Sample.cs", source) });
        var document = project.Documents.Single();
        Assert.Contains(await DocumentFixer.AnalyzeAsync(document, new[] { id }, protocol), d => d.Id == id);

        var once = await DocumentFixer.FixAsync(document, new[] { id }, null, protocol);
        Assert.NotEmpty(once.Applied);
        var twice = await DocumentFixer.FixAsync(once.Document, new[] { id }, null, protocol);
        Assert.Empty(twice.Applied);
        Assert.Equal((await once.Document.GetTextAsync()).ToString(), (await twice.Document.GetTextAsync()).ToString());
        Assert.DoesNotContain(await DocumentFixer.AnalyzeAsync(twice.Document, new[] { id }, protocol), d => d.Id == id);
    }

    [Fact]
    public async Task All_fixes_together_leave_the_samples_with_no_fixable_diagnostic()
    {
        foreach (var protocol in new[] { "a", "b" })
        {
            var sources = Samples().Where(row => (string)row[2] == protocol).Select((row, i) =>
            {
                TestFileMarkupParser.GetSpans((string)row[1], out var source, out System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Text.TextSpan>> _);
                return ($"/0/Sample{i}.cs", source.Replace("class Sample", "class Sample" + i));
            });
            var project = await FixWorkspace.FixAllAsync(FixWorkspace.Create(sources), protocol);
            var errors = (await project.GetCompilationAsync())!.GetDiagnostics().Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
            Assert.Empty(errors);
            Assert.Empty(await FixWorkspace.FixableLeftAsync(project, protocol));
        }
    }
}
