using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// The JSON written for <c>--output json</c>: camelCase names, enums as strings, non-ASCII text as is.
/// Documents are indented; consume's per-record lines (<see cref="WriteLine{T}"/>) are compact.
/// </summary>
internal static class JsonOutput
{
    private static readonly JsonSerializerOptions Indented = Options(indented: true);
    private static readonly JsonSerializerOptions Compact = Options(indented: false);

    /// <summary>Writes <paramref name="value"/> as one indented document and a newline.</summary>
    public static void Write<T>(TextWriter writer, T value)
    {
        writer.WriteLine(JsonSerializer.Serialize(value, Indented));
        writer.Flush();
    }

    /// <summary>Writes <paramref name="value"/> on one line (JSON Lines).</summary>
    public static void WriteLine<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Compact));

    private static JsonSerializerOptions Options(bool indented) => new()
    {
        WriteIndented = indented,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
