using System.Globalization;
using System.Text;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Commands.Messages;

/// <summary>Which fields <c>consume --format text</c> prints before the value (<c>--print-*</c>).</summary>
/// <param name="Timestamp">Timestamp with its type, e.g. <c>CreateTime:1700000000000</c>.</param>
/// <param name="Partition"><c>Partition:N</c>.</param>
/// <param name="Offset"><c>Offset:N</c>.</param>
/// <param name="Headers"><c>k:v,k2:v2</c> (<c>NO_HEADERS</c> when none).</param>
/// <param name="Key">The key (<c>null</c> when null).</param>
internal readonly record struct PrintFields(bool Timestamp, bool Partition, bool Offset, bool Headers, bool Key);

/// <summary>
/// Prints consumed records. Text: the chosen fields then the value, separated by a tab, worded as
/// kafka-console-consumer prints them, one record per line. JSON: one compact object per record and
/// line (JSON Lines) with every field, so <c>jq</c> can read a stream that never ends.
/// </summary>
internal sealed class RecordFormatter(TextWriter output, bool json, PrintFields fields, string separator)
{
    /// <summary>One record as JSON.</summary>
    internal sealed record JsonRecord(string Topic, int Partition, long Offset, long? Timestamp, string TimestampType,
        string? Key, string? Value, IReadOnlyList<JsonHeader> Headers);

    /// <summary>One header as JSON (a list, not an object: keys may repeat).</summary>
    internal sealed record JsonHeader(string Key, string? Value);

    public void Write(ConsumeResult<string?, string?> record)
    {
        var m = record.Message;
        if (json)
        {
            JsonOutput.WriteLine(output, new JsonRecord(record.Topic, record.Partition.Value, record.Offset.Value,
                m.Timestamp.Type == TimestampType.NotAvailable ? null : m.Timestamp.UnixTimestampMs, TypeName(m.Timestamp.Type),
                m.Key, m.Value, (m.Headers ?? []).Select(h => new JsonHeader(h.Key, Utf8(h.GetValueBytes()))).ToList()));
            return;
        }
        var line = new StringBuilder();
        if (fields.Timestamp)
            line.Append(m.Timestamp.Type switch
            {
                TimestampType.CreateTime => "CreateTime:",
                TimestampType.LogAppendTime => "LogAppendTime:",
                _ => "NoTimestampType:",
            }).Append(m.Timestamp.UnixTimestampMs.ToString(CultureInfo.InvariantCulture)).Append(separator);
        if (fields.Partition) line.Append("Partition:").Append(record.Partition.Value.ToString(CultureInfo.InvariantCulture)).Append(separator);
        if (fields.Offset) line.Append("Offset:").Append(record.Offset.Value.ToString(CultureInfo.InvariantCulture)).Append(separator);
        if (fields.Headers)
        {
            line.Append(m.Headers is { Count: > 0 } headers
                ? string.Join(',', headers.Select(h => $"{h.Key}:{Utf8(h.GetValueBytes()) ?? "null"}"))
                : "NO_HEADERS").Append(separator);
        }
        if (fields.Key) line.Append(m.Key ?? "null").Append(separator);
        line.Append(m.Value ?? "null");
        output.WriteLine(line.ToString());
    }

    private static string TypeName(TimestampType type) => type switch
    {
        TimestampType.CreateTime => "createTime",
        TimestampType.LogAppendTime => "logAppendTime",
        _ => "none",
    };

    private static string? Utf8(byte[]? bytes) => bytes is null ? null : Encoding.UTF8.GetString(bytes);
}
