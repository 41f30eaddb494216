using System.Buffers;
using System.Text;
using AkkaLog.Protocol.Compression;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage.Cleaner;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Storage.Tests.Cleaner;

/// <summary>A record as a consumer sees it: offset, key and value as text (null for null), timestamp.</summary>
public sealed record KeyedRecord(long Offset, string? Key, string? Value, long Timestamp);

public static class Compacted
{
    /// <summary>Small segments, compaction only, every log cleanable at once, deletes immediate.</summary>
    public static LogConfig Config => Batches.Small with
    {
        CleanupPolicy = CleanupPolicy.Compact,
        MinCleanableDirtyRatio = 0.01,
        SegmentBytes = 2048,
    };

    /// <summary>A cleaner with a small offset map and unthrottled I/O.</summary>
    public static LogCleaner NewCleaner(TimeProvider time, long dedupeBytes = 1024 * 1024,
        Action<TimeSpan, CancellationToken>? sleep = null, double maxIoBytesPerSecond = double.MaxValue) =>
        new(new CleanerConfig { DedupeBufferSize = dedupeBytes, IoBufferSize = 4096, MaxIoBytesPerSecond = maxIoBytesPerSecond },
            time, NullLogger.Instance, sleep);

    /// <summary>Opens the log of partition <paramref name="name"/> (e.g. "orders-0") inside <paramref name="logDir"/>.</summary>
    public static PartitionLog OpenPartition(TempDir logDir, string name, LogConfig config, TimeProvider time)
    {
        Assert.True(TopicPartition.TryParseDirectoryName(name, out var topicPartition));
        return PartitionLog.Open(logDir.Sub(name), topicPartition, config, time, NullLogger.Instance, recoveryPoint: 0, hadCleanShutdown: true);
    }

    /// <summary>Builds a batch of (key, value) records (null for null) at <paramref name="timestamp"/>.</summary>
    public static byte[] Batch(IEnumerable<(string? Key, string? Value)> records, long timestamp,
        CompressionCodec codec = CompressionCodec.None, long producerId = -1, short producerEpoch = -1, int baseSequence = -1)
    {
        using var builder = new RecordBatchBuilder(codec);
        foreach (var (key, value) in records)
        {
            builder.Append(timestamp, key is null ? default : Encoding.UTF8.GetBytes(key), key is null,
                value is null ? default : Encoding.UTF8.GetBytes(value), value is null);
        }
        return builder.ToArray(producerId, producerEpoch, baseSequence);
    }

    /// <summary>Appends one batch as leader; returns its base offset.</summary>
    public static long Append(PartitionLog log, IEnumerable<(string? Key, string? Value)> records, long timestamp,
        CompressionCodec codec = CompressionCodec.None) =>
        log.Append(Batch(records, timestamp, codec), leaderEpoch: 0, logAppendTimeMs: null).FirstOffset;

    /// <summary>
    /// Appends <paramref name="rounds"/> updates of keys k0..k(keys-1), <paramref name="perBatch"/> records per
    /// batch, value "v{round}-{key}" padded to make records of a useful size; returns the latest value per key.
    /// </summary>
    public static Dictionary<string, (long Offset, string Value)> AppendUpdates(PartitionLog log, int keys, int rounds, long timestamp,
        int perBatch = 5, CompressionCodec codec = CompressionCodec.None, int padding = 40, int firstRound = 0)
    {
        var latest = new Dictionary<string, (long, string)>();
        var pad = new string('.', padding);
        for (int round = firstRound; round < firstRound + rounds; round++)
        {
            for (int first = 0; first < keys; first += perBatch)
            {
                var records = Enumerable.Range(first, Math.Min(perBatch, keys - first))
                    .Select(k => ((string?)$"k{k}", (string?)$"v{round}-k{k}{pad}")).ToList();
                long baseOffset = Append(log, records, timestamp, codec);
                for (int i = 0; i < records.Count; i++) latest[records[i].Item1!] = (baseOffset + i, records[i].Item2!);
            }
        }
        return latest;
    }

    /// <summary>Reads every record from the log start as a consumer would (skipping records before the fetch offset).</summary>
    public static List<KeyedRecord> ReadRecords(PartitionLog log, int maxBytes = 1000)
    {
        var records = new List<KeyedRecord>();
        long next = log.LogStartOffset, end = log.LogEndOffset;
        while (next < end)
        {
            using var result = log.Read(next, maxBytes, long.MaxValue, minOneBatch: true);
            Assert.Equal(LogReadStatus.Ok, result.Status);
            if (result.IsEmpty) break;
            long fetchOffset = next;
            foreach (var record in Decode(result.Records.Span))
                if (record.Offset >= fetchOffset) records.Add(record);
            next = result.NextOffset;
        }
        return records;
    }

    /// <summary>Decodes whole batches, checking each one's CRC and that its records parse.</summary>
    public static List<KeyedRecord> Decode(ReadOnlySpan<byte> batches)
    {
        var records = new List<KeyedRecord>();
        while (batches.Length > 0)
        {
            Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(batches, default, out var header));
            var section = batches[RecordBatchHeader.Size..header.TotalSize];
            var decompressed = new ArrayBufferWriter<byte>();
            CompressionCodecs.Decompress(header.Compression, section, decompressed);
            var reader = new RecordReader(decompressed.WrittenSpan);
            int count = 0;
            while (reader.TryReadNext(out var record))
            {
                count++;
                Assert.InRange(record.OffsetDelta, 0, header.LastOffsetDelta);
                records.Add(new KeyedRecord(header.BaseOffset + record.OffsetDelta,
                    record.KeyIsNull ? null : Encoding.UTF8.GetString(record.Key),
                    record.ValueIsNull ? null : Encoding.UTF8.GetString(record.Value),
                    header.BaseTimestamp + record.TimestampDelta));
            }
            Assert.True(reader.AtEnd && !reader.IsCorrupt);
            Assert.Equal(header.RecordsCount, count);
            batches = batches[header.TotalSize..];
        }
        return records;
    }

    /// <summary>Offsets strictly increase: no record is served twice.</summary>
    public static void AssertStrictlyIncreasing(IReadOnlyList<KeyedRecord> records)
    {
        for (int i = 1; i < records.Count; i++)
            Assert.True(records[i].Offset > records[i - 1].Offset, $"offset {records[i].Offset} after {records[i - 1].Offset}");
    }

    /// <summary>The last record per key in <paramref name="records"/>.</summary>
    public static Dictionary<string, KeyedRecord> LatestByKey(IEnumerable<KeyedRecord> records) =>
        records.Where(r => r.Key is not null).GroupBy(r => r.Key!).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Offset)!);

    /// <summary>Files with the given suffix in a directory.</summary>
    public static string[] FilesEndingWith(string directory, string suffix) =>
        Directory.GetFiles(directory).Where(f => f.EndsWith(suffix, StringComparison.Ordinal)).ToArray();
}
