using AkkaLog.Protocol.Records;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Storage.Tests;

/// <summary>A directory under the temp dir, deleted on dispose.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "akkalog-storage-" + Guid.NewGuid().ToString("N"));

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A clock the test advances itself.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualTimeProvider() : this(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000)) { }

    public override DateTimeOffset GetUtcNow() => _now;

    public long NowMs => _now.ToUnixTimeMilliseconds();

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>A batch as stored: its assigned base offset and stamped bytes.</summary>
public sealed record StoredBatch(long BaseOffset, int Count, long[] Timestamps, byte[] Bytes)
{
    public long LastOffset => BaseOffset + Count - 1;
}

public static class Batches
{
    public static readonly TopicPartition Tp = new("orders-eu", 3);

    /// <summary>A batch of <paramref name="count"/> records with the given timestamps (or all <paramref name="timestamp"/>).</summary>
    public static byte[] Make(int count, long timestamp, int valueSize = 40, CompressionCodec codec = CompressionCodec.None,
        long[]? timestamps = null, int seed = 0)
    {
        using var builder = new RecordBatchBuilder(codec);
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            var key = BitConverter.GetBytes(seed * 1000 + i);
            var value = new byte[valueSize];
            random.NextBytes(value);
            builder.Append(timestamps?[i] ?? timestamp, key, value);
        }
        return builder.ToArray();
    }

    public static PartitionLog Open(string dir, LogConfig config, TimeProvider time, long recoveryPoint = 0, bool clean = true) =>
        PartitionLog.Open(dir, Tp, config, time, NullLogger.Instance, recoveryPoint, clean);

    /// <summary>Appends one batch as leader and returns it as stored.</summary>
    public static StoredBatch Append(PartitionLog log, int count, long timestamp, int valueSize = 40,
        CompressionCodec codec = CompressionCodec.None, long[]? timestamps = null, int epoch = 0)
    {
        var bytes = Make(count, timestamp, valueSize, codec, timestamps, seed: (int)log.LogEndOffset);
        var info = log.Append(bytes, epoch, null);
        Assert.Equal(count, info.RecordCount);
        return new StoredBatch(info.FirstOffset, count, timestamps ?? Enumerable.Repeat(timestamp, count).ToArray(), bytes);
    }

    /// <summary>Reads the whole log from its start in chunks of <paramref name="maxBytes"/>.</summary>
    public static byte[] ReadAll(PartitionLog log, int maxBytes = 1000)
    {
        var all = new MemoryStream();
        long next = log.LogStartOffset;
        while (next < log.LogEndOffset)
        {
            using var result = log.Read(next, maxBytes, long.MaxValue, minOneBatch: true);
            Assert.Equal(LogReadStatus.Ok, result.Status);
            Assert.False(result.IsEmpty);
            all.Write(result.Records.Span);
            next = result.NextOffset;
        }
        return all.ToArray();
    }

    public static byte[] Concat(IEnumerable<StoredBatch> batches) => batches.SelectMany(b => b.Bytes).ToArray();

    public static LogConfig Small => new()
    {
        SegmentBytes = 4096,
        IndexIntervalBytes = 256,
        FileDeleteDelayMs = 0,
        RetentionMs = -1,
    };
}
