using System.Text;
using AkkaLog.Protocol.Records;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Shortcuts for building v2 batches with <see cref="RecordBatchBuilder"/>.</summary>
public static class Batches
{
    /// <summary>A batch of string-valued, string-keyed records, all stamped <paramref name="timestamp"/>.</summary>
    public static byte[] OfValues(IEnumerable<string> values, long? timestamp = null, string? key = "k",
        CompressionCodec codec = CompressionCodec.None)
    {
        long ts = timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        using var builder = new RecordBatchBuilder(codec);
        foreach (var value in values)
            builder.Append(ts, key is null ? default : Encoding.UTF8.GetBytes(key), key is null,
                Encoding.UTF8.GetBytes(value), false);
        return builder.ToArray();
    }

    /// <summary>A one-record batch.</summary>
    public static byte[] Single(string value, long? timestamp = null) => OfValues([value], timestamp);
}
