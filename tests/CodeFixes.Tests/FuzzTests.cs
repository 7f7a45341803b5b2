using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers;
using PtGuard.Analyzers.Flow;
using PtGuard.Analyzers.Tests;
using PtGuard.Analyzers.Tests.Verifiers;
using PtGuard.CodeFixes.Tests.Verifiers;
using Xunit.Abstractions;

namespace PtGuard.CodeFixes.Tests;

/// <summary>
/// Fuzzing (issue 7): generated method bodies (<see cref="GeneratedBodies"/>: branches, loops, switch,
/// try/catch/finally, goto, lambdas, local functions, and damaged code) go through every rule and, when flagged,
/// through the code fixes until none applies. Zero analyzer exceptions and zero swallowed internal errors, each
/// analysis within a generous bound enforced by cancellation (60 s; the fix rounds of one body: 10 min; a hang, not a speed goal), the fixes of
/// a body converge (fewer than <see cref="DocumentFixer.MaxFixesPerDocument"/>), and a body that compiled
/// before its fixes compiles after them and analyses again without an exception. The list of bodies is fixed by the
/// seed. CI runs 300; <c>PTGUARD_FUZZ_BODIES=10000</c> runs the full campaign (<c>PTGUARD_FUZZ_FIX_BODIES=N</c>: fixes on the first N only) (and <c>PTGUARD_FUZZ_REPORT=FILE</c>
/// writes its summary line there; <c>PTGUARD_FUZZ_FIRST=K</c> starts at body K, to split a campaign across processes;
/// <c>PTGUARD_FUZZ_DUMP=FILE</c> writes every fixed body with its fixes).
/// </summary>
public class FuzzTests
{
    private const ulong Seed = 0x5EED_0007;
    /// <summary>Each analysis of a body (before and after its fixes).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>All fix rounds of one body together (each round analyses the document again).</summary>
    private static readonly TimeSpan FixBound = TimeSpan.FromMinutes(10);
    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    private sealed class Tally
    {
        public int Bodies, Compiling, Flagged, Fixed, FixesApplied, CompileFailures, Exceptions, InternalErrors, Budget, Timeouts;
        public double MaxAnalysisMs, MaxFixMs, MaxBodyMs;
        public int MaxFixRounds;
        public int Unconverged;
        public readonly List<string> Failures = new();
    }

    [Fact]
    public async Task Generated_bodies_analyse_and_fix_without_exceptions_and_fixed_code_compiles()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("PTGUARD_FUZZ_BODIES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 300;
        // PTGUARD_FUZZ_FIRST=K starts at body K of the same stream: a campaign split across processes (one per core).
        var first = int.TryParse(Environment.GetEnvironmentVariable("PTGUARD_FUZZ_FIRST"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k > 0 ? k : 0;
        var sources = GeneratedBodies.Take(Seed, first + count);
        // The fix rounds cost a full analysis each: a long campaign may fix only its first bodies (the rest are analysed).
        var fixLimit = int.TryParse(Environment.GetEnvironmentVariable("PTGUARD_FUZZ_FIX_BODIES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var f) && f >= 0 ? f : count;
        var tally = new Tally();
        var internalErrors = new ConcurrentQueue<Exception>();
        RootAnalysis.InternalErrorObserver = internalErrors.Enqueue;
        var total = Stopwatch.StartNew();
        var report = Environment.GetEnvironmentVariable("PTGUARD_FUZZ_REPORT");
        string Summary() => string.Create(CultureInfo.InvariantCulture,
            $"fuzz: {tally.Bodies} bodies from #{first} (seed 0x{Seed:X}, {tally.Compiling} compiling, the rest damaged), {tally.Flagged} flagged, " +
            $"{tally.Fixed} fixed ({tally.FixesApplied} fixes; fixes tried on the first {Math.Min(fixLimit, tally.Bodies)} bodies), " +
            $"{tally.CompileFailures} compile failures after fixing, {tally.Unconverged} unconverged, {tally.Exceptions} exceptions, {tally.InternalErrors} internal errors, {tally.Budget} budget stops, " +
            $"{tally.Timeouts} over a bound ({Bound.TotalSeconds:F0} s per analysis, {FixBound.TotalMinutes:F0} min for a body's fixes); max analysis {tally.MaxAnalysisMs:F0} ms, " +
            $"max fixing {tally.MaxFixMs:F0} ms ({tally.MaxFixRounds} fixes in one body), max body {tally.MaxBodyMs:F0} ms; " +
            $"total {total.Elapsed.TotalSeconds:F0} s");
        try
        {
            for (var i = first; i < sources.Count; i++)
            {
                await OneBodyAsync(i, sources[i], i % 2 == 0 ? "a" : "b", i - first < fixLimit, tally, internalErrors);
                // A long campaign leaves its progress behind (the summary so far), in case it is stopped.
                if (report is { Length: > 0 } && (i + 1) % 100 == 0) File.WriteAllText(report, Summary() + "\n" + string.Join("\n\n", tally.Failures));
            }
        }
        finally
        {
            RootAnalysis.InternalErrorObserver = null;
        }

        var summary = Summary();
        _output.WriteLine(summary);
        if (report is { Length: > 0 }) File.WriteAllText(report, summary + "\n" + string.Join("\n\n", tally.Failures));
        Assert.True(tally.Failures.Count == 0, summary + "\n" + string.Join("\n\n", tally.Failures.Take(5)));
        // The corpus must exercise the fixes, or this test proves nothing about them.
        Assert.True(tally.Fixed > 0 && tally.Flagged > tally.Bodies / 10, summary);
    }

    private static async Task OneBodyAsync(int index, string source, string protocol, bool fix, Tally tally, ConcurrentQueue<Exception> internalErrors)
    {
        tally.Bodies++;
        var body = Stopwatch.StartNew();
        var phase = "analysis";
        void Fail(string what) => tally.Failures.Add($"body {index} (protocol {protocol}): {what}\n{source}");
        try
        {
            var project = FixWorkspace.Create(new[] { ("/0/Generated.cs", source) });
            var document = project.Documents.Single();
            var compilation = (await project.GetCompilationAsync())!;
            var compiles = !compilation.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
            if (compiles) tally.Compiling++;

            var (diagnostics, exceptions) = await BoundedAnalysisAsync(compilation, protocol, tally);
            CountErrors(exceptions, internalErrors, tally, Fail, "analysis");
            var fixable = diagnostics.Where(d => DocumentFixer.FixableIds.Contains(d.Id)).ToList();
            if (diagnostics.Length > 0) tally.Flagged++;
            if (fixable.Count == 0 || !fix) return;

            phase = "fixes";
            var fixing = Stopwatch.StartNew();
            using var fixBound = new CancellationTokenSource(FixBound);
            var result = await DocumentFixer.FixAsync(document, DocumentFixer.FixableIds, null, protocol, fixBound.Token);
            tally.MaxFixMs = Math.Max(tally.MaxFixMs, fixing.Elapsed.TotalMilliseconds);
            tally.MaxFixRounds = Math.Max(tally.MaxFixRounds, result.Applied.Count);
            // PTGUARD_FUZZ_DUMP=FILE: every fixed body with the fixes applied, for reading a campaign's fixes.
            if (Environment.GetEnvironmentVariable("PTGUARD_FUZZ_DUMP") is { Length: > 0 } dump && result.Applied.Count > 0)
            {
                File.AppendAllText(dump, $"=== body {index} protocol {protocol}: {result.Applied.Count} fixes\n{source}\n--- fixes ---\n" +
                    $"{string.Join("\n", result.Applied.Select(a => $"{a.Id} {a.Line}:{a.Column} {a.Title}"))}\n--- fixed ---\n{await result.Document.GetTextAsync()}\n");
            }
            if (result.Applied.Count >= DocumentFixer.MaxFixesPerDocument)
            {
                // The fixes did not converge (a fix that leaves its diagnostic, applied again and again until the cap).
                tally.Unconverged++;
                Fail($"the fixes did not converge: {result.Applied.Count} applied, the last ones {string.Join(", ", result.Applied.TakeLast(3).Select(a => $"{a.Id} at {a.Line}:{a.Column}"))}");
            }
            if (result.Applied.Count == 0) return;
            tally.Fixed++;
            tally.FixesApplied += result.Applied.Count;
            var fixedCompilation = (await result.Document.Project.GetCompilationAsync())!;
            var errors = fixedCompilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (compiles && errors.Count > 0)
            {
                tally.CompileFailures++;
                Fail($"does not compile after {string.Join(", ", result.Applied.Select(a => a.Id))}: {errors[0]}\n--- fixed ---\n{await result.Document.GetTextAsync()}");
            }
            phase = "analysis of the fixed code";
            var (_, again) = await BoundedAnalysisAsync(fixedCompilation, protocol, tally);
            CountErrors(again, internalErrors, tally, Fail, phase);
        }
        catch (OperationCanceledException)
        {
            tally.Timeouts++;
            Fail($"{phase} not done within its bound");
        }
        catch (Exception e)
        {
            tally.Exceptions++;
            Fail($"{phase}: exception " + e);
        }
        finally
        {
            tally.MaxBodyMs = Math.Max(tally.MaxBodyMs, body.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>One analysis under <see cref="Bound"/>: cancelled (and counted as over the bound) if it takes longer.</summary>
    private static async Task<(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<Exception> Exceptions)> BoundedAnalysisAsync(Compilation compilation, string protocol, Tally tally)
    {
        using var bound = new CancellationTokenSource(Bound);
        var analysis = Stopwatch.StartNew();
        var result = await AnalyzeAsync(compilation, protocol, bound.Token);
        tally.MaxAnalysisMs = Math.Max(tally.MaxAnalysisMs, analysis.Elapsed.TotalMilliseconds);
        return result;
    }

    private static void CountErrors(IReadOnlyList<Exception> exceptions, ConcurrentQueue<Exception> internalErrors, Tally tally, Action<string> fail, string phase)
    {
        tally.Exceptions += exceptions.Count;
        foreach (var e in exceptions) fail($"{phase}: analyzer exception {e}");
        while (internalErrors.TryDequeue(out var e))
        {
            // An exhausted work budget is the analyzer's designed way out of a pathological body, not a failure.
            if (e.GetType().Name == "BudgetExceededException")
            {
                tally.Budget++;
                continue;
            }
            tally.InternalErrors++;
            fail($"{phase}: internal error {e}");
        }
    }

    /// <summary>Every rule under <paramref name="protocol"/>, with analyzer exceptions collected rather than turned into AD0001.</summary>
    private static async Task<(ImmutableArray<Diagnostic> Diagnostics, IReadOnlyList<Exception> Exceptions)> AnalyzeAsync(Compilation compilation, string protocol, CancellationToken cancellationToken)
    {
        var exceptions = new ConcurrentQueue<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new ProtocolOptionsProvider(protocol)),
            (e, _, _) => exceptions.Enqueue(e),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(PtGuardAnalyzers.Combined), options).GetAnalyzerDiagnosticsAsync(cancellationToken);
        return (diagnostics, exceptions.ToList());
    }
}
