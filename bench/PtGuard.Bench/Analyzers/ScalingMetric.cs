using System.Collections.Immutable;
using System.Diagnostics;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using PtGuard.Analyzers;
using PtGuard.Runtime;

namespace PtGuard.Bench.Analyzers;

/// <summary>
/// <c>analyzer_scaling</c> (issue 7): PtGuard's analyzer time per statement for a 10,000-statement method / for a
/// 100-statement one, in process. Each method is the same mix repeated: per 20 statements, one correct Protocol A
/// free of its own PTE table (entry, derive, clear, flush, key-guarded cycle, free: 8 statements), three if/else
/// statements (9) and three assignments (3), so the flow engine tracks one more table every 20 statements. Every
/// measurement is a fresh compilation (the rules cache per compilation) through <see cref="CompilationWithAnalyzers"/>
/// with execution times logged; the time is the <c>ExecutionTime</c> of the rules as a build loads them (<see cref="PtGuardAnalyzers.Combined"/>) from
/// <c>GetAnalyzerTelemetryInfoAsync</c> (binding by the compiler is not in it). Sizes alternate, medians.
/// </summary>
internal static class ScalingMetric
{
    private const int Small = 100;
    private const int Middle = 1_000;
    private const int Large = 10_000;

    public static void Run(bool quick)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => !Path.GetFileName(p).StartsWith("PtGuard.", StringComparison.Ordinal))
            .Append(typeof(Kernel).Assembly.Location)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
        var small = Source(Small);
        var middle = Source(Middle);
        var large = Source(Large);
        // Warm-up: JIT and the compiler's own caches, not counted.
        Measure(small, references);
        Measure(middle, references);
        Measure(large, references);
        var repetitions = quick ? 5 : 11;
        var smallTimes = new List<double>();
        var middleTimes = new List<double>();
        var largeTimes = new List<double>();
        var diagnostics = 0;
        for (var i = 0; i < repetitions; i++)
        {
            // Several small ones per large one: each is short and noisier.
            for (var k = 0; k < 3; k++) smallTimes.Add(Measure(small, references).Seconds);
            middleTimes.Add(Measure(middle, references).Seconds);
            var (tl, dl) = Measure(large, references);
            largeTimes.Add(tl);
            diagnostics += dl;
            Report.Note($"analyzer_scaling #{i}: {Small} statements {smallTimes[^1] * 1000:F2} ms, {Middle} statements {middleTimes[^1] * 1000:F1} ms, {Large} statements {tl * 1000:F1} ms");
        }
        var perSmall = Stats.Median(smallTimes) / Small;
        var perMiddle = Stats.Median(middleTimes) / Middle;
        var perLarge = Stats.Median(largeTimes) / Large;
        Report.Ratio("analyzer_scaling", perLarge / perSmall, 2.0,
            $"{Report.F(perLarge * 1e6, 1)} us per statement in a {Large:N0}-statement method ({Report.F(Stats.Median(largeTimes) * 1000, 0)} ms, {Large / 20} tables freed) / " +
            $"{Report.F(perSmall * 1e6, 1)} us in a {Small}-statement one ({Report.F(Stats.Median(smallTimes) * 1000, 2)} ms, {Small / 20} tables); " +
            $"{Middle:N0} statements: {Report.F(perMiddle * 1e6, 1)} us per statement, so 10,000 / 1,000 = {Report.F(perLarge / perMiddle, 2)}; " +
            $"medians of {largeTimes.Count}, {middleTimes.Count} and {smallTimes.Count} fresh compilations; diagnostics on the correct code: {diagnostics}");
    }

    /// <summary>Seconds of PtGuard analyzer time for one fresh compilation of <paramref name="source"/>, and the diagnostics reported.</summary>
    private static (double Seconds, int Diagnostics) Measure(string source, ImmutableArray<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create("Scaling",
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), "Scaling.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new InvalidOperationException("the scaling source does not compile: " + errors[0]);
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null,
            concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        var cwa = compilation.WithAnalyzers(ImmutableArray.Create(PtGuardAnalyzers.Combined), options);
        var diagnostics = cwa.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
        var seconds = cwa.GetAnalyzerTelemetryInfoAsync(PtGuardAnalyzers.Combined, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalSeconds;
        return (seconds, diagnostics.Length);
    }

    /// <summary>A class with one method of <paramref name="statements"/> statements (a multiple of 20).</summary>
    internal static string Source(int statements)
    {
        var sb = new StringBuilder();
        sb.Append("""
            using PtGuard.Runtime;
            using static PtGuard.Runtime.Kernel;

            public static class Scaling
            {
                [WalkerKey]
                public static readonly StaticKey Key = new("scaling_key");

                public static int Free(PmdPtr pmdp, ulong addr, int x, int y)
                {

            """);
        for (var i = 0; i < statements / 20; i++)
        {
            // Entry pmdp + i maps addr + i * PMD_SIZE; the flush names the same address.
            var address = i == 0 ? "addr" : $"addr + {i}UL * PmdSize";
            sb.Append($$"""
                        var e{{i}} = pmdp + {{i}};
                        var t{{i}} = PteOffsetKernel(e{{i}}, {{address}});
                        PmdClear(e{{i}});
                        FlushTlbKernelPgtable({{address}});
                        if (StaticBranchUnlikely(Key)) { MmapReadLock(InitMm); MmapReadUnlock(InitMm); }
                        PteFreeKernel(t{{i}});
                        x = x * 31 + {{i}};
                        if ((x & {{i % 7 + 1}}) == 0) { y += x; } else { y -= {{i}}; }
                        y ^= x >> 3;
                        if (y > x) { x = y - {{i}}; } else { y = x + 1; }
                        x += y & 0xff;
                        if (x % 5 == {{i % 5}}) { y = -y; } else { x = ~x; }

                """);
        }
        sb.Append("""
                    return x + y;
                }
            }

            """);
        return sb.ToString();
    }
}
