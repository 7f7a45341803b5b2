using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using PtGuard.Analyzers;

namespace PtGuard.Cli.Analysis;

/// <summary><c>ptguard check</c>'s machine-readable outputs: its own JSON, and SARIF 2.1.0 for code-scanning tools.</summary>
public static class DiagnosticReports
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary><c>{"diagnostics":[{"id","severity","message","file","line","column","endLine","endColumn","helpLink","properties"}]}</c>.</summary>
    public static string Json(IEnumerable<Diagnostic> diagnostics, string baseDirectory)
    {
        var items = new JsonArray();
        foreach (var d in diagnostics)
        {
            var span = d.Location.GetLineSpan();
            var properties = new JsonObject();
            foreach (var (key, value) in d.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) properties[key] = value;
            items.Add(new JsonObject
            {
                ["id"] = d.Id,
                ["severity"] = Level(d.Severity),
                ["message"] = d.GetMessage(CultureInfo.InvariantCulture),
                ["file"] = DisplayPath(span.Path, baseDirectory),
                ["line"] = span.StartLinePosition.Line + 1,
                ["column"] = span.StartLinePosition.Character + 1,
                ["endLine"] = span.EndLinePosition.Line + 1,
                ["endColumn"] = span.EndLinePosition.Character + 1,
                ["helpLink"] = d.Descriptor.HelpLinkUri,
                ["properties"] = properties,
            });
        }
        return new JsonObject { ["diagnostics"] = items }.ToJsonString(Indented);
    }

    /// <summary>
    /// One SARIF 2.1.0 log with one run: every PtGuard rule in <c>tool.driver.rules</c>, each diagnostic a result whose
    /// location is relative to <c>%SRCROOT%</c> (<paramref name="baseDirectory"/>) when the file is below it.
    /// </summary>
    public static string Sarif(IEnumerable<Diagnostic> diagnostics, string baseDirectory)
    {
        var descriptors = PtGuardAnalyzers.All.SelectMany(a => a.SupportedDiagnostics).GroupBy(d => d.Id).Select(g => g.First()).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        var index = descriptors.Select((d, i) => (d.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var rules = new JsonArray();
        foreach (var d in descriptors)
        {
            rules.Add(new JsonObject
            {
                ["id"] = d.Id,
                ["name"] = RuleName(d.Id),
                ["shortDescription"] = new JsonObject { ["text"] = d.Title.ToString(CultureInfo.InvariantCulture) },
                ["fullDescription"] = new JsonObject { ["text"] = d.Description.ToString(CultureInfo.InvariantCulture) },
                ["helpUri"] = d.HelpLinkUri,
                ["defaultConfiguration"] = new JsonObject { ["level"] = SarifLevel(d.DefaultSeverity), ["enabled"] = d.IsEnabledByDefault },
                ["properties"] = new JsonObject { ["category"] = d.Category },
            });
        }
        var root = Path.GetFullPath(baseDirectory);
        var results = new JsonArray();
        foreach (var d in diagnostics)
        {
            var span = d.Location.GetLineSpan();
            var result = new JsonObject
            {
                ["ruleId"] = d.Id,
                ["level"] = SarifLevel(d.Severity),
                ["message"] = new JsonObject { ["text"] = d.GetMessage(CultureInfo.InvariantCulture) },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = ArtifactLocation(span.Path, root),
                        ["region"] = new JsonObject
                        {
                            ["startLine"] = span.StartLinePosition.Line + 1,
                            ["startColumn"] = span.StartLinePosition.Character + 1,
                            ["endLine"] = span.EndLinePosition.Line + 1,
                            ["endColumn"] = span.EndLinePosition.Character + 1,
                        },
                    },
                }),
            };
            if (index.TryGetValue(d.Id, out var i)) result["ruleIndex"] = i;
            if (d.Properties.Count > 0)
            {
                var properties = new JsonObject();
                foreach (var (key, value) in d.Properties.OrderBy(p => p.Key, StringComparer.Ordinal)) properties[key] = value;
                result["properties"] = properties;
            }
            results.Add(result);
        }
        var version = typeof(PtGuardAnalyzers).Assembly.GetName().Version ?? new Version(0, 0, 0);
        var log = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "PtGuard",
                        ["informationUri"] = "https://github.com/ptguard/ptguard",
                        ["semanticVersion"] = $"{version.Major}.{version.Minor}.{version.Build}",
                        ["rules"] = rules,
                    },
                },
                ["originalUriBaseIds"] = new JsonObject
                {
                    ["SRCROOT"] = new JsonObject { ["uri"] = new Uri(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar).AbsoluteUri },
                },
                ["columnKind"] = "utf16CodeUnits",
                ["results"] = results,
            }),
        };
        return log.ToJsonString(Indented);
    }

    /// <summary>The rule's name as <see cref="DiagnosticIds"/> spells its constant (<c>MissingClear</c>).</summary>
    private static string RuleName(string id) =>
        typeof(DiagnosticIds).GetFields(BindingFlags.Public | BindingFlags.Static).FirstOrDefault(f => (string?)f.GetValue(null) == id)?.Name ?? id;

    private static JsonObject ArtifactLocation(string path, string root)
    {
        var full = Path.GetFullPath(path);
        var relative = Path.GetRelativePath(root, full);
        if (!Path.IsPathRooted(relative) && !relative.StartsWith("..", StringComparison.Ordinal))
        {
            return new JsonObject { ["uri"] = Uri.EscapeDataString(relative.Replace('\\', '/')).Replace("%2F", "/", StringComparison.Ordinal), ["uriBaseId"] = "SRCROOT" };
        }
        return new JsonObject { ["uri"] = new Uri(full).AbsoluteUri };
    }

    private static string DisplayPath(string path, string baseDirectory)
    {
        if (!Path.IsPathRooted(path)) return path;
        var relative = Path.GetRelativePath(baseDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    private static string Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };

    private static string SarifLevel(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };
}
