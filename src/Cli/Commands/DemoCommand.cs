using System.CommandLine;
using System.Globalization;
using Microsoft.CodeAnalysis;
using PtGuard.Cli.Analysis;
using PtGuard.Runtime;
using PtGuard.Runtime.Memory;
using PtGuard.Runtime.Scenarios;

namespace PtGuard.Cli.Commands;

/// <summary>
/// <c>ptguard demo</c>, the Quickstart's main job: checks <c>samples/Unsafe</c> (the kernel's five known mistakes) and
/// prints the diagnostics, fixes a copy with the code fixes and shows the diff, explores <c>cycle-before-flush</c>
/// under SC (safe) and ARM64 (a witness of the use-after-free), and verifies <c>v6</c> with its executions counted.
/// Each step's outcome is compared with what the README documents: exit 0 when all came out so, 1 (naming what
/// differed) otherwise, 2 when the sample cannot be found or read.
/// </summary>
internal sealed class DemoCommand : ICliCommand
{
    public string Name => "demo";

    public Command Build(CliContext context)
    {
        var samples = new Option<string?>("--unsafe") { Description = "The folder of the unsafe sample (default: samples/Unsafe of the repository around the current folder, else the copy built into ptguard)." };
        var command = new Command(Name, "Check the unsafe sample, fix a copy, and explore the seed's scenarios; exit 0 when all came out as documented.");
        command.Options.Add(samples);
        command.SetAction(parse => new DemoRun(context, parse.GetValue(samples)).Run());
        return command;
    }
}

/// <summary>One run of the demo: four sections, then the list of expectations met or missed.</summary>
internal sealed class DemoRun(CliContext io, string? unsafeFolder)
{
    /// <summary>Each file of samples/Unsafe and the rule that names its mistake (the README's and the sample's own claim).</summary>
    public static readonly IReadOnlyDictionary<string, string> ExpectedRules = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["PrePatch.cs"] = "PTG0004",
        ["CycleBeforeFlush.cs"] = "PTG0005",
        ["V5EnableDisable.cs"] = "PTG0011",
        ["LeafOnlyFlush.cs"] = "PTG0003",
        ["ANestedInB.cs"] = "PTG0014",
    };

    /// <summary>The rule the code fixes leave in the sample: A nested in B, whose nested cycle is inside a helper other callers need.</summary>
    public const string LeftAfterFix = "PTG0014";

    private readonly List<(bool Ok, string Text)> _outcomes = new();
    private readonly bool _fancy = Terminal.IsInteractiveOutput(io.Out);
    private string? _extracted;

    public int Run()
    {
        var (folder, display) = LocateSample();
        try
        {
            return Run(folder, display);
        }
        finally
        {
            if (_extracted is not null) Directory.Delete(_extracted, recursive: true);
        }
    }

    private int Run(string folder, string display)
    {
        var cwd = Directory.GetCurrentDirectory();
        io.Out.WriteLine("PtGuard demo: the static rules say where the freeing protocol is broken; the explorer proves why.");

        Heading($"1. ptguard check {display}: the kernel's known mistakes");
        var files = SourceFiles.Expand(new[] { folder }, "demo");
        var check = PtGuardAnalysis.RunAsync(LooseCompilation.Create(files), files, "a").GetAwaiter().GetResult();
        if (check.CompileErrors.Count > 0 || check.AnalyzerFailures.Count > 0)
        {
            throw new UsageException($"ptguard demo: {display} does not compile or the rules failed on it ({check.CompileErrors.Concat<object>(check.AnalyzerFailures).First()})");
        }
        foreach (var d in check.Diagnostics) io.Out.WriteLine(DiagnosticText.Format(d, cwd));
        var byFile = check.Diagnostics.GroupBy(d => Path.GetFileName(d.Location.GetLineSpan().Path)).ToDictionary(g => g.Key, g => g.Select(d => d.Id).ToHashSet(), StringComparer.Ordinal);
        foreach (var (file, id) in ExpectedRules)
        {
            var got = byFile.TryGetValue(file, out var ids) ? string.Join(", ", ids.Order(StringComparer.Ordinal)) : "nothing";
            Expect(got == id, $"check: {file} is flagged {id}", $"got {got}");
        }
        var unexpected = byFile.Keys.Where(f => !ExpectedRules.ContainsKey(f)).ToList();
        Expect(unexpected.Count == 0, "check: no other file is flagged", $"also flagged: {string.Join(", ", unexpected)}");

        Heading("2. ptguard fix on a copy: the code fixes, as a diff");
        var copy = CopyToTemp(files, folder);
        try
        {
            var sources = SourceSet.Load(new[] { copy }, "demo");
            var changed = sources.FixAsync("a", Array.Empty<string>()).GetAwaiter().GetResult();
            foreach (var file in changed)
            {
                File.WriteAllText(file.File.Path, file.After, file.File.Encoding);
                io.Out.Write(UnifiedDiff.Create(Path.Combine(display, Path.GetRelativePath(copy, file.File.Path)), file.Before, file.After));
            }
            var fixedIds = changed.SelectMany(f => f.Applied).Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
            io.Out.WriteLine($"{changed.Sum(f => f.Applied.Count)} fixes in {changed.Count} files ({string.Join(", ", fixedIds.Order(StringComparer.Ordinal))})");
            var wanted = check.Diagnostics.Select(d => d.Id).Where(id => id != LeftAfterFix).ToHashSet(StringComparer.Ordinal);
            Expect(wanted.IsSubsetOf(fixedIds), $"fix: every rule reported but {LeftAfterFix} is fixed ({string.Join(", ", wanted.Order(StringComparer.Ordinal))})", $"fixed only {string.Join(", ", fixedIds.Order(StringComparer.Ordinal))}");

            var copyFiles = SourceFiles.Expand(new[] { copy }, "demo");
            var recheck = PtGuardAnalysis.RunAsync(LooseCompilation.Create(copyFiles), copyFiles, "a").GetAwaiter().GetResult();
            var left = recheck.Diagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList();
            io.Out.WriteLine($"check of the fixed copy: {string.Join(", ", recheck.Diagnostics.Select(d => d.Id))}{(recheck.Diagnostics.Count == 0 ? "clean" : "")}");
            io.Out.WriteLine($"  {LeftAfterFix} (A nested in B) is left for a person: the nested cycle is inside Mmu.PmdFreePtePage, which");
            io.Out.WriteLine("  Protocol A callers still need; under the held read lock call a free without its own cycle (Protocol B's");
            io.Out.WriteLine("  arm64 functions after the 2026 revert). See docs/rules/PTG0014.md, \"When no fix is offered\".");
            Expect(recheck.CompileErrors.Count == 0 && left.SequenceEqual(new[] { LeftAfterFix }),
                $"fix: the fixed copy compiles and only {LeftAfterFix} is left", $"left: {string.Join(", ", left)}{(recheck.CompileErrors.Count > 0 ? $", {recheck.CompileErrors.Count} compile errors" : "")}");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true);
        }

        Heading("3. ptguard explore cycle-before-flush: safe under SC, a use-after-free on ARM64");
        var sc = Explore("cycle-before-flush", MemoryModel.Sc);
        Expect(sc.Verdict == Verdict.Safe && sc.StoppedBy is null, "explore: cycle-before-flush is safe under sc", Describe(sc));
        var arm = Explore("cycle-before-flush", MemoryModel.Arm64);
        Expect(arm.Violation?.Kind == KernelViolations.UseAfterFree && arm.Witness is not null,
            "explore: cycle-before-flush on arm64 gives a use-after-free witness", Describe(arm));
        if (arm.Witness is not null)
        {
            io.Out.WriteLine();
            io.Out.Write(WitnessText.Render(arm.Witness));
        }

        Heading("4. ptguard explore v6: the merged kernel code, every execution");
        foreach (var model in new[] { MemoryModel.Arm64, MemoryModel.Sc })
        {
            var v6 = Explore("v6", model);
            Expect(v6.Verdict == Verdict.Safe && v6.StoppedBy is null && v6.Executions > 0,
                $"explore: v6 is verified safe on {CliOptions.Name(model)} ({v6.Executions} executions)", Describe(v6));
        }

        Heading("Summary");
        foreach (var (ok, text) in _outcomes) io.Out.WriteLine($"{(ok ? "ok  " : "FAIL")} {text}");
        var failed = _outcomes.Count(o => !o.Ok);
        io.Out.WriteLine(failed == 0
            ? "All came out as documented. Next: dotnet test PtGuard.sln; ptguard explore --list; README.md."
            : $"{failed} of {_outcomes.Count} did not come out as documented.");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.Violation;
    }

    private ExploreResult Explore(string name, MemoryModel model)
    {
        var scenario = BuiltInScenarios.Find(name) ?? throw new UsageException($"ptguard demo: the scenario '{name}' is missing");
        var result = Explorer.Explore(scenario.Build(), new ExploreOptions { Model = model, Strategy = Strategy.Exhaustive });
        io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} on {CliOptions.Name(model)}: {Describe(result)} ({result.Executions} executions, {result.Distinct} distinct, {result.Elapsed.TotalSeconds:0.00} s)"));
        return result;
    }

    private static string Describe(ExploreResult r) => r.Violation is { } v
        ? $"violation {v.Kind}: {v.Message}"
        : r.StoppedBy is not null ? $"inconclusive (stopped by {r.StoppedBy})" : r.Verdict.ToString().ToLowerInvariant();

    private void Expect(bool ok, string what, string otherwise) => _outcomes.Add((ok, ok ? what : $"{what}: {otherwise}"));

    private void Heading(string text)
    {
        io.Out.WriteLine();
        if (_fancy)
        {
            Terminal.Create(io.Out, interactive: true).Write(new Spectre.Console.Rule($"[bold]{Spectre.Console.Markup.Escape(text)}[/]") { Justification = Spectre.Console.Justify.Left });
        }
        else
        {
            io.Out.WriteLine($"== {text} ==");
        }
    }

    /// <summary>The unsafe sample: the option's folder, else samples/Unsafe above the current folder, else the copy built in.</summary>
    private (string Folder, string Display) LocateSample()
    {
        if (unsafeFolder is not null)
        {
            if (!Directory.Exists(unsafeFolder)) throw new UsageException($"ptguard demo: no such folder: {unsafeFolder}");
            return (unsafeFolder, unsafeFolder);
        }
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples", "Unsafe");
            if (File.Exists(Path.Combine(candidate, "Unsafe.csproj")))
            {
                var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), candidate);
                return (candidate, relative.StartsWith("..", StringComparison.Ordinal) ? candidate : relative);
            }
        }
        _extracted = Path.Combine(Path.GetTempPath(), "ptguard-demo-sample-" + Guid.NewGuid().ToString("N"));
        var extracted = Path.Combine(_extracted, "Unsafe");
        Directory.CreateDirectory(extracted);
        var assembly = typeof(DemoRun).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("samples/Unsafe/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var file = File.Create(Path.Combine(extracted, resource["samples/Unsafe/".Length..]));
            stream.CopyTo(file);
        }
        return (extracted, "samples/Unsafe (built into ptguard)");
    }

    private static string CopyToTemp(IEnumerable<string> files, string folder)
    {
        var copy = Path.Combine(Path.GetTempPath(), "ptguard-demo-" + Guid.NewGuid().ToString("N"), "Unsafe");
        foreach (var file in files)
        {
            var target = Path.Combine(copy, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }
}
