using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PtGuard.Runtime.Memory;

/// <summary>Witnesses as JSON (addresses and values as hex strings, so 64-bit values survive any reader).</summary>
public static class WitnessJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(), new HexConverter(), new NullableHexConverter() },
    };

    /// <summary>Serializes a witness.</summary>
    public static string Serialize(Witness w) => JsonSerializer.Serialize(w, Options);

    /// <summary>Reads a witness; a malformed document gives a <see cref="PtGuardException"/> naming the problem.</summary>
    public static Witness Deserialize(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Witness>(json, Options) ?? throw new PtGuardException("witness: the JSON document is empty.");
        }
        catch (JsonException ex)
        {
            throw new PtGuardException($"witness: not a PtGuard witness ({ex.Message})");
        }
    }

    private sealed class HexConverter : JsonConverter<ulong>
    {
        public override ulong Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number) return reader.GetUInt64();
            var s = reader.GetString() ?? throw new JsonException("expected a number");
            return s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : ulong.Parse(s, CultureInfo.InvariantCulture);
        }

        public override void Write(Utf8JsonWriter writer, ulong value, JsonSerializerOptions options) =>
            writer.WriteStringValue("0x" + value.ToString("x", CultureInfo.InvariantCulture));
    }

    private sealed class NullableHexConverter : JsonConverter<ulong?>
    {
        private static readonly HexConverter Inner = new();

        public override ulong? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(ulong), options);

        public override void Write(Utf8JsonWriter writer, ulong? value, JsonSerializerOptions options)
        {
            if (value is null) writer.WriteNullValue();
            else Inner.Write(writer, value.Value, options);
        }
    }
}
