using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using PtGuard.Analyzers.Tests.Agreement;
using PtGuard.CodeFixes.Tests.Verifiers;
using PtGuard.Runtime;
using Xunit.Abstractions;

namespace PtGuard.CodeFixes.Tests.Agreement;

/// <summary>
/// The fixes against the explorer: every generated freeing path the analyzers flag is fixed (every fix, Fix All style,
/// until none applies), must then compile, leave nothing fixable, and be safe in the explorer on the ARMv8 model.
/// </summary>
public class FixedVariantsAreSafeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_flagged_variant_once_fixed_is_safe_on_arm64()
    {
        var variants = FreeingVariants.All();
        var project = FixWorkspace.Create(new[] { ("/agreement/Support.cs", FreeingVariants.Support) }
            .Concat(variants.Select(v => ($"/agreement/{v.ClassName}.cs", Header + v.Source))), "Agreement");

        var flagged = new List<FreeingVariant>();
        var fixedProject = project;
        var report = new StringBuilder();
        foreach (var v in variants)
        {
            var document = fixedProject.Documents.Single(d => d.Name == v.ClassName + ".cs");
            var before = await DocumentFixer.AnalyzeAsync(document, DocumentFixer.AllIds, "a");
            if (!before.Any(d => d.Severity >= DiagnosticSeverity.Info)) continue;
            flagged.Add(v);
            var result = await DocumentFixer.FixAsync(document, DocumentFixer.FixableIds, null, "a");
            fixedProject = result.Document.Project;
            report.AppendLine($"{v.ClassName} {v.Description}: {string.Join(",", before.Select(d => d.Id).Distinct())} -> {string.Join("; ", result.Applied.Select(a => a.Id + " " + a.Title))}");
        }

        var compilation = (await fixedProject.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(20)));
        var left = await FixWorkspace.FixableLeftAsync(fixedProject);

        var assembly = Emit(compilation);
        var notSafe = new List<string>();
        var stillWarned = new List<string>();
        foreach (var v in flagged)
        {
            var method = assembly.GetType(v.ClassName)!.GetMethod("Free")!;
            var violation = v.FreesPmdTable
                ? ExplorerHarness.FirstViolation(method.CreateDelegate<Action<PudPtr, ulong>>(), v.ClassName)
                : ExplorerHarness.FirstViolation(method.CreateDelegate<Action<PmdPtr, ulong>>(), v.ClassName);
            var text = (await fixedProject.Documents.Single(d => d.Name == v.ClassName + ".cs").GetTextAsync()).ToString();
            if (violation is not null) notSafe.Add($"{v.ClassName} {v.Description}: {violation}\n{text}");
            var warnings = await DocumentFixer.AnalyzeAsync(fixedProject.Documents.Single(d => d.Name == v.ClassName + ".cs"), DocumentFixer.AllIds, "a");
            if (warnings.Any(d => d.Severity == DiagnosticSeverity.Warning)) stillWarned.Add($"{v.ClassName} {v.Description}: {string.Join(", ", warnings.Select(d => d.Id + " " + d.GetMessage()))}\n{text}");
        }
        output.WriteLine($"variants {variants.Count}, flagged {flagged.Count}, fixed {flagged.Count - stillWarned.Count} (no warning left), safe after fix {flagged.Count - notSafe.Count}, not safe {notSafe.Count}, fixable diagnostics left {left.Count}");
        output.WriteLine(report.ToString());
        Assert.True(left.Count == 0, "fixable diagnostics left:\n" + string.Join("\n", left));
        Assert.True(notSafe.Count == 0, $"{notSafe.Count} of {flagged.Count} fixed variants are not safe:\n\n" + string.Join("\n\n", notSafe));
        Assert.True(stillWarned.Count == 0, $"{stillWarned.Count} of {flagged.Count} fixed variants still warn:\n\n" + string.Join("\n\n", stillWarned));
    }

    private const string Header = "using PtGuard.Runtime;\nusing PtGuard.Runtime.Reference;\nusing static PtGuard.Runtime.Kernel;\n\n";

    private static Assembly Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(stream.ToArray());
    }
}
