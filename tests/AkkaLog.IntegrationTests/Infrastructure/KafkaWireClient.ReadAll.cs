using Xunit.Sdk;

namespace AkkaLog.IntegrationTests.Infrastructure;

public sealed partial class KafkaWireClient
{
    /// <summary>
    /// Fetches a partition from <paramref name="fromOffset"/> up to its high watermark, checking every
    /// batch (CRC, framing, records) on the way. Fails if a batch is invalid, if the broker returns
    /// nothing while below the high watermark, or if it keeps returning the same offset.
    /// </summary>
    public async Task<(List<DecodedRecord> Records, long HighWatermark)> ReadAllAsync(string topic, int partition,
        long fromOffset = 0, int maxBytes = 4 * 1024 * 1024)
    {
        var records = new List<DecodedRecord>();
        long offset = fromOffset;
        long highWatermark;
        while (true)
        {
            var data = await FetchAsync(topic, partition, offset, maxBytes);
            if (data.ErrorCode != 0) throw new XunitException($"Fetch {topic}-{partition}@{offset}: error {data.ErrorCode}");
            highWatermark = data.HighWatermark;
            var decoded = BatchDecoder.Decode(data.Records);
            var invalid = decoded.Invalid.ToList();
            if (invalid.Count > 0)
                throw new XunitException($"Fetch {topic}-{partition}@{offset} returned invalid data: {string.Join("; ", invalid)}");
            if (offset >= highWatermark)
            {
                if (decoded.Batches.Count > 0 || decoded.TrailingBytes > 0)
                    throw new XunitException(
                        $"Fetch at the high watermark {highWatermark} returned {decoded.Batches.Count} batches + {decoded.TrailingBytes} bytes");
                break;
            }
            if (decoded.Batches.Count == 0)
                throw new XunitException(
                    $"Fetch {topic}-{partition}@{offset} below high watermark {highWatermark} returned no whole batch ({decoded.TrailingBytes} bytes)");
            records.AddRange(decoded.Records.Where(r => r.Offset >= offset));
            long next = decoded.Batches[^1].Header.NextOffset;
            if (next <= offset) throw new XunitException($"Fetch {topic}-{partition}@{offset} did not advance (next {next})");
            offset = next;
        }
        return (records, highWatermark);
    }
}
