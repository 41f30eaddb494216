using System.Buffers.Binary;
using AkkaLog.Protocol.Records;
using static AkkaLog.Storage.Tests.Batches;

namespace AkkaLog.Storage.Tests;

public sealed class IndexFormatTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Index_files_hold_kafka_entries_pointing_at_batches()
    {
        var config = Small with { SegmentBytes = 64 * 1024 };
        var log = Open(_dir.Path, config, _time);
        var stored = Enumerable.Range(0, 100).Select(i => Append(log, 1 + i % 3, 1000 + i * 10, valueSize: 90)).ToList();
        log.Close();

        byte[] logBytes = File.ReadAllBytes(Path.Combine(_dir.Path, "00000000000000000000.log"));
        byte[] index = File.ReadAllBytes(Path.Combine(_dir.Path, "00000000000000000000.index"));
        byte[] timeIndex = File.ReadAllBytes(Path.Combine(_dir.Path, "00000000000000000000.timeindex"));
        Assert.Equal(Concat(stored), logBytes);
        int maxBatch = stored.Max(b => b.Bytes.Length);
        Assert.True(index.Length / 8 >= logBytes.Length / (config.IndexIntervalBytes + maxBatch) - 1, $"{index.Length / 8} entries");
        Assert.Equal(0, index.Length % 8);
        Assert.Equal(0, timeIndex.Length % 12);
        for (int at = 0; at < index.Length; at += 8)
        {
            int relativeOffset = BinaryPrimitives.ReadInt32BigEndian(index.AsSpan(at));
            int position = BinaryPrimitives.ReadInt32BigEndian(index.AsSpan(at + 4));
            var header = RecordBatchHeader.Read(logBytes.AsSpan(position));
            Assert.Equal(header.LastOffset, relativeOffset);
        }
        long lastTimestamp = -1;
        for (int at = 0; at < timeIndex.Length; at += 12)
        {
            long timestamp = BinaryPrimitives.ReadInt64BigEndian(timeIndex.AsSpan(at));
            int relativeOffset = BinaryPrimitives.ReadInt32BigEndian(timeIndex.AsSpan(at + 8));
            Assert.True(timestamp > lastTimestamp);
            Assert.Equal(stored.Single(b => b.LastOffset == relativeOffset).Timestamps.Max(), timestamp);
            lastTimestamp = timestamp;
        }
        Assert.Equal(stored[^1].Timestamps.Max(), lastTimestamp); // the entry written on close
    }
}
