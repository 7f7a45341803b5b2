using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PtGuard.Runtime;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;
using static PtGuard.Runtime.Kernel;

namespace PtGuard.Bench.Mutation;

/// <summary>
/// The explorer half of the mutation kill-rate experiment (issue 7). Generates the mutants of Protocol A and Protocol B
/// (<see cref="MutantGenerator"/>), compiles them against PtGuard.Runtime, runs each through the scenarios of its
/// protocol on arm64 (and sc, for the record), and writes <c>bench/out/mutants/</c>: one <c>ID.cs</c> per mutant (the
/// source the analyzer half checks) and <c>mutants.tsv</c> with the explorer's verdicts. The analyzer half reads that
/// table: every mutant with <c>convicted_arm64 = yes</c> must be flagged (see BENCHMARKS.md).
/// </summary>
internal static class MutationExperiment
{
    private const ulong Phys = 0x8000_0000;

    public static void Run(bool quick)
    {
        var root = LitmusCorpusFiles.RepoRoot() ?? throw new InvalidOperationException("cannot find PtGuard.sln above the bench");
        var reference = Path.Combine(root, "src", "Runtime", "Reference");
        var a = Path.Combine(reference, "ProtocolA.cs");
        var b = Path.Combine(reference, "ProtocolB.cs");
        var mutants = new List<Mutant>
        {
            MutantGenerator.Baseline(a, "ProtocolA", "a", "A00"),
            MutantGenerator.Baseline(b, "ProtocolB", "b", "B00"),
        };
        mutants.AddRange(MutantGenerator.Generate(a, "ProtocolA", "a", "A"));
        mutants.AddRange(MutantGenerator.Generate(b, "ProtocolB", "b", "B"));

        var (assembly, errors) = Compile(mutants);
        var outDir = Path.Combine(root, "bench", "out", "mutants");
        if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
        Directory.CreateDirectory(outDir);

        var rows = new List<string> { "id\tprotocol\tmethod\tmutation\tcompiles\tconvicted_arm64\tarm64\tsc\tfile" };
        var convicted = new Dictionary<string, int>();
        int compiled = 0, guilty = 0;
        var survivors = new List<string>();
        var baselineProblems = new List<string>();
        var timeout = TimeSpan.FromSeconds(quick ? 20 : 60);
        foreach (var m in mutants)
        {
            var file = Path.Combine(outDir, m.Id + ".cs");
            File.WriteAllText(file, $"// Mutant {m.Id} of {Path.GetFileName(m.SourceFile)} ({m.Method}): {m.Mutation}\n" + m.Source);
            string arm64, sc;
            bool isGuilty;
            if (errors.TryGetValue(m.Id, out var error))
            {
                arm64 = sc = "-";
                isGuilty = false;
                rows.Add(Row(m, "no: " + error, "-", arm64, sc, file, root));
                continue;
            }
            compiled++;
            var type = assembly!.GetType($"PtGuard.Runtime.Reference.{m.MutantClass}", throwOnError: true)!;
            arm64 = Verdict(type, m.Protocol, MemoryModel.Arm64, quick, timeout, out isGuilty);
            sc = Verdict(type, m.Protocol, MemoryModel.Sc, quick, timeout, out _);
            if (m.Method == "-")
            {
                if (isGuilty || arm64.Contains("inconclusive", StringComparison.Ordinal)) baselineProblems.Add($"{m.Id}: {arm64}");
            }
            else if (isGuilty)
            {
                guilty++;
                var kind = arm64.Split(' ')[0];
                convicted[kind] = convicted.GetValueOrDefault(kind) + 1;
            }
            else
            {
                survivors.Add(m.Id);
            }
            rows.Add(Row(m, "yes", isGuilty ? "yes" : "no", arm64, sc, file, root));
        }
        File.WriteAllLines(Path.Combine(outDir, "mutants.tsv"), rows);

        var total = mutants.Count - 2;
        Report.Info("mutation_explorer",
            $"{total} mutants of Protocol A and B ({mutants.Count(m => m.Protocol == "a") - 1} / {mutants.Count(m => m.Protocol == "b") - 1}), " +
            $"{total - (compiled - 2)} do not compile; baseline {(baselineProblems.Count == 0 ? "safe" : "NOT SAFE: " + string.Join("; ", baselineProblems))}; " +
            $"convicted on arm64: {guilty} ({string.Join(", ", convicted.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}"))}); " +
            $"not convicted: {survivors.Count} ({string.Join(" ", survivors)}); table: bench/out/mutants/mutants.tsv");
    }

    private static string Row(Mutant m, string compiles, string convicted, string arm64, string sc, string file, string root) =>
        string.Join('\t', m.Id, m.Protocol, m.Method, m.Mutation, compiles, convicted, arm64, sc, Path.GetRelativePath(root, file));

    /// <summary>Runs a mutant's scenarios; the verdict is the first violation (kind and scenario), else safe or inconclusive.</summary>
    private static string Verdict(Type type, string protocol, MemoryModel model, bool quick, TimeSpan timeout, out bool guilty)
    {
        var inconclusive = new List<string>();
        foreach (var (name, build) in Scenarios(type, protocol, quick))
        {
            var r = Explorer.Explore(build(), new ExploreOptions { Model = model, Timeout = timeout });
            if (r.Verdict == Runtime.Memory.Verdict.Violation)
            {
                guilty = true;
                return $"{r.Violation!.Kind} in {name}";
            }
            if (r.Verdict == Runtime.Memory.Verdict.Inconclusive) inconclusive.Add($"{name}: {r.StoppedBy}");
        }
        guilty = false;
        return inconclusive.Count == 0 ? "safe" : "inconclusive (" + string.Join("; ", inconclusive) + ")";
    }

    /// <summary>
    /// The scenarios a mutant of each protocol runs in: its own freeing functions against its own walkers, on the
    /// built-in scenarios' machines (<see cref="ScenarioKit"/>).
    /// </summary>
    private static IEnumerable<(string Name, Func<ConcurrentProgram> Build)> Scenarios(Type type, string protocol, bool quick)
    {
        if (protocol == "a")
        {
            var pmdFree = Method<Func<PmdPtr, ulong, int>>(type, "PmdFreePtePage");
            var pudFree = Method<Func<PudPtr, ulong, int>>(type, "PudFreePmdTable");
            var walk = Method<Action<PtdumpState, MmStruct>>(type, "Arm64PtdumpWalkPgd");
            var checkWx = Method<Func<bool>>(type, "PtdumpCheckWx");
            (string, Action) Ptdump() => ("ptdump", () => walk(PtdumpState.ForDump(), InitMm));
            (string, Action) CheckWx() => ("check_wx", () => checkWx());
            yield return ("pte-table vs arm64 ptdump", () => ScenarioKit.PteTableFree("mutant", (p, va) => pmdFree(p, va), Ptdump()));
            yield return ("pmd-table vs arm64 ptdump", () => ScenarioKit.PmdTableFree("mutant", (p, va) => pudFree(p, va), 2, Ptdump()));
            yield return ("pte-table vs two walkers", () => ScenarioKit.PteTableFree("mutant", (p, va) => pmdFree(p, va), Ptdump(), CheckWx()));
            yield return ("pte-table vs a translating CPU", () => Hardware((p, va) => pmdFree(p, va)));
            yield return ("pmd-table vs a translating CPU", () => HardwarePud((p, va) => pudFree(p, va)));
            // Thousands of executions: the full run only.
            if (!quick) yield return ("pmd-table vs two walkers", () => ScenarioKit.PmdTableFree("mutant", (p, va) => pudFree(p, va), 2, Ptdump(), CheckWx()));
        }
        else
        {
            var hugePmd = Method<Func<PmdPtr, ulong, ulong, ulong, PgProt, int, int>>(type, "VmapTryHugePmd");
            var hugePud = Method<Func<PudPtr, ulong, ulong, ulong, PgProt, int, int>>(type, "VmapTryHugePud");
            (string, Action) Ptdump() => ("ptdump", () => PtdumpWalkPgd(PtdumpState.ForDump(), InitMm));
            yield return ("vmap_try_huge_pmd vs ptdump", () => ScenarioKit.PteTableFree("mutant",
                (p, va) => hugePmd(p, va, va + PmdSize, Phys, PageKernel, System.Numerics.BitOperations.Log2(PmdSize)), Ptdump()));
            yield return ("vmap_try_huge_pud vs ptdump", () => ScenarioKit.PmdTableFree("mutant",
                (p, va) => hugePud(p, va, va + PudSize, Phys, PageKernel, System.Numerics.BitOperations.Log2(PudSize)), 2, Ptdump()));
            yield return ("vmap_try_huge_pmd vs a translating CPU", () => Hardware(
                (p, va) => hugePmd(p, va, va + PmdSize, Phys, PageKernel, System.Numerics.BitOperations.Log2(PmdSize))));
            yield return ("vmap_try_huge_pud vs a translating CPU", () => HardwarePud(
                (p, va) => hugePud(p, va, va + PudSize, Phys, PageKernel, System.Numerics.BitOperations.Log2(PudSize))));
        }
    }

    /// <summary>As the built-in <c>hw-*</c> scenarios: a CPU translating the VA twice (walk cache) while its PTE table is freed.</summary>
    private static ConcurrentProgram Hardware(Action<PmdPtr, ulong> freer)
    {
        var m = new KernelMachine(new Geometry(4));
        var va = BuiltInScenarios.VmallocStart(m.Geometry);
        m.MapPage(va, Phys, PgProt.PageKernel);
        var pmdp = m.PmdEntry(va);
        m.HardwareWalkers = new[] { 1 };
        return m.Program("mutant", ("freer", () => freer(pmdp, va)), ("translating CPU", Translate2(va)));
    }

    /// <summary>The same one level up: the PMD table (with a PTE table) under a PUD entry is freed.</summary>
    private static ConcurrentProgram HardwarePud(Action<PudPtr, ulong> freer)
    {
        var m = new KernelMachine(new Geometry(4));
        var va = BuiltInScenarios.VmallocStart(m.Geometry);
        m.MapPage(va, Phys, PgProt.PageKernel);
        var pudp = m.PudEntry(va);
        m.HardwareWalkers = new[] { 1 };
        return m.Program("mutant", ("freer", () => freer(pudp, va)), ("translating CPU", Translate2(va)));
    }

    private static Action Translate2(ulong va) => () =>
    {
        Translate(va);
        Translate(va);
    };

    private static T Method<T>(Type type, string name) where T : Delegate =>
        (T)Delegate.CreateDelegate(typeof(T), type.GetMethod(name, BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{type.Name} has no public static {name}"));

    /// <summary>
    /// Compiles every mutant into one assembly. Mutants that do not compile (a move that uses a variable before it is
    /// assigned) are reported with their first error and left out, and the rest compiled again.
    /// </summary>
    private static (Assembly? Assembly, Dictionary<string, string> Errors) Compile(List<Mutant> mutants)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(Kernel).Assembly.Location)
            .Distinct()
            .Select(p => MetadataReference.CreateFromFile(p))
            .ToList();
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var usings = CSharpSyntaxTree.ParseText("global using System; global using System.Linq; global using System.Collections.Generic;", options);
        var errors = new Dictionary<string, string>();
        var live = mutants.ToList();
        while (true)
        {
            var trees = live.ToDictionary(m => m.Id, m => CSharpSyntaxTree.ParseText(m.Source, options, path: m.Id + ".cs"));
            var compilation = CSharpCompilation.Create("PtGuard.Mutants." + Guid.NewGuid().ToString("N"),
                trees.Values.Append(usings), references,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
            using var stream = new MemoryStream();
            var result = compilation.Emit(stream);
            if (result.Success) return (Assembly.Load(stream.ToArray()), errors);
            var broken = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)
                .GroupBy(d => d.Location.SourceTree?.FilePath ?? "")
                .ToList();
            var any = false;
            foreach (var group in broken)
            {
                var id = Path.GetFileNameWithoutExtension(group.Key);
                if (!trees.ContainsKey(id)) continue;
                var d = group.First();
                errors[id] = $"{d.Id} {d.GetMessage(CultureInfo.InvariantCulture)}";
                live.RemoveAll(m => m.Id == id);
                any = true;
            }
            if (!any)
            {
                var text = new StringBuilder("the mutants do not compile for a reason outside them: ");
                foreach (var d in result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)) text.Append(d).Append("; ");
                throw new InvalidOperationException(text.ToString());
            }
        }
    }
}
