using System.Text.Json;
using NJsonSchema;

namespace PtGuard.Cli.Tests;

/// <summary><c>ptguard check --format sarif</c>: SARIF 2.1.0 that validates against the schema and says what the text lines say.</summary>
public class SarifOutputTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(CliRunner.RepoRoot, "tests", "Cli.Tests", "Sarif", "sarif-schema-2.1.0.json"))).GetAwaiter().GetResult());

    private static string Sample => Path.Combine(CliRunner.RepoRoot, "samples", "Unsafe");

    [Fact]
    public void Sarif_validates_against_the_2_1_0_schema()
    {
        var (exit, stdout, _) = CliRunner.Run("check", Sample, "--format", "sarif");
        Assert.Equal(1, exit);
        var errors = Schema.Value.Validate(stdout);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public void An_empty_result_is_valid_sarif_too()
    {
        var (exit, stdout, _) = CliRunner.Run("check", Path.Combine(CliRunner.RepoRoot, "samples", "Safe"), "--format", "sarif");
        Assert.Equal(0, exit);
        Assert.Empty(Schema.Value.Validate(stdout));
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal(0, doc.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());
    }

    [Fact]
    public void The_schema_rejects_what_is_not_sarif()
    {
        // The validation above means something only if the schema catches a broken log.
        Assert.NotEmpty(Schema.Value.Validate("""{"version":"2.1.0","runs":[{"results":[]}]}"""));
        Assert.NotEmpty(Schema.Value.Validate("""{"version":"2.0.0","runs":[]}"""));
    }

    [Fact]
    public void Each_result_matches_a_text_line_and_names_its_rule()
    {
        var text = CliRunner.Run("check", Sample).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using var doc = JsonDocument.Parse(CliRunner.Run("check", Sample, "--format", "sarif").Out);
        var run = doc.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(14, rules.Count);
        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(text.Length, results.Count);
        foreach (var (result, line) in results.Zip(text))
        {
            var id = result.GetProperty("ruleId").GetString()!;
            Assert.Equal(id, rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
            var region = location.GetProperty("region");
            var file = Path.GetFileName(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!);
            Assert.Contains($"{file}({region.GetProperty("startLine").GetInt32()},{region.GetProperty("startColumn").GetInt32()}): warning {id}: {result.GetProperty("message").GetProperty("text").GetString()}", line, StringComparison.Ordinal);
            Assert.Equal("warning", result.GetProperty("level").GetString());
        }
    }
}
