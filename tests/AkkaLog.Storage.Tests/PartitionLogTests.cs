using AkkaLog.Protocol.Records;
using static AkkaLog.Storage.Tests.Batches;

namespace AkkaLog.Storage.Tests;

public sealed class PartitionLogTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private List<StoredBatch> AppendMany(PartitionLog log, int batches)
    {
        var stored = new List<StoredBatch>();
        for (int i = 0; i < batches; i++)
            stored.Add(Append(log, count: 1 + i % 5, timestamp: _time.NowMs + i, valueSize: 20 + (i * 37) % 300));
        return stored;
    }

    [Fact]
    public void Append_then_read_is_byte_identical_across_rolls()
    {
        var log = Open(_dir.Path, Small, _time);
        var stored = AppendMany(log, 200);
        Assert.True(log.Segments.Count > 5, $"expected several segments, got {log.Segments.Count}");
        Assert.Equal(stored[^1].LastOffset + 1, log.LogEndOffset);
        Assert.Equal(Concat(stored), ReadAll(log, maxBytes: 700));
        Assert.All(log.Segments, s => Assert.True(s.Size <= Small.SegmentBytes));
        foreach (var segment in log.Segments)
            Assert.True(File.Exists(Path.Combine(_dir.Path, segment.BaseOffset.ToString("D20") + ".log")));
        log.Close();
    }

    [Fact]
    public void Append_stamps_offsets_epoch_and_log_append_time()
    {
        var log = Open(_dir.Path, Small, _time);
        var first = Make(3, 1000);
        var second = Make(2, 1000);
        byte[] span = [.. first, .. second];
        var info = log.Append(span, leaderEpoch: 7, logAppendTimeMs: 5555);
        Assert.Equal((0L, 4L, 5555L, 5555L, 5, span.Length), (info.FirstOffset, info.LastOffset, info.MaxTimestamp, info.LogAppendTime, info.RecordCount, info.ValidBytes));
        var h1 = RecordBatchHeader.Read(span);
        var h2 = RecordBatchHeader.Read(span.AsSpan(first.Length));
        Assert.Equal((0L, 3L), (h1.BaseOffset, h2.BaseOffset));
        Assert.Equal((7, 7), (h1.PartitionLeaderEpoch, h2.PartitionLeaderEpoch));
        Assert.Equal(TimestampType.LogAppendTime, h2.TimestampType);
        Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(span.AsSpan(first.Length), default, out _));
        Assert.Equal(span, ReadAll(log));
        Assert.Equal([new EpochEntry(7, 0)], log.LeaderEpochs.Entries);
        log.Append(Make(1, 1000), leaderEpoch: 9, null);
        Assert.Equal("0\n2\n7 0\n9 5\n", File.ReadAllText(Path.Combine(_dir.Path, "leader-epoch-checkpoint")));
        log.Close();
    }

    [Fact]
    public void Every_offset_is_found_in_its_batch()
    {
        var log = Open(_dir.Path, Small, _time);
        var stored = AppendMany(log, 120);
        foreach (var batch in stored)
        {
            for (long offset = batch.BaseOffset; offset <= batch.LastOffset; offset++)
            {
                using var result = log.Read(offset, 1, long.MaxValue, minOneBatch: true);
                Assert.Equal(batch.BaseOffset, result.FirstOffset);
                Assert.Equal(batch.Bytes, result.Records.ToArray());
                Assert.Equal(batch.LastOffset + 1, result.NextOffset);
            }
        }
        foreach (var segment in log.Segments)
            Assert.True(segment.OffsetIndex.Count > 0 || segment.Size <= Small.IndexIntervalBytes * 2);
        log.Close();
    }

    [Fact]
    public void Read_respects_max_bytes_min_one_batch_and_max_offset()
    {
        var log = Open(_dir.Path, LogConfig.Default with { FileDeleteDelayMs = 0 }, _time);
        var big = Append(log, 10, _time.NowMs, valueSize: 500);
        var small1 = Append(log, 1, _time.NowMs);
        var small2 = Append(log, 1, _time.NowMs);

        using (var result = log.Read(0, 100, long.MaxValue, minOneBatch: true))
            Assert.Equal(big.Bytes, result.Records.ToArray());
        using (var result = log.Read(0, 100, long.MaxValue, minOneBatch: false))
            Assert.True(result.IsEmpty);
        using (var result = log.Read(big.BaseOffset + 4, big.Bytes.Length + small1.Bytes.Length + 10, long.MaxValue, true))
            Assert.Equal([.. big.Bytes, .. small1.Bytes], result.Records.ToArray());
        using (var result = log.Read(0, 1 << 20, maxOffsetExclusive: small2.BaseOffset, minOneBatch: true))
        {
            Assert.Equal([.. big.Bytes, .. small1.Bytes], result.Records.ToArray());
            Assert.Equal(small2.BaseOffset, result.NextOffset);
        }
        using (var result = log.Read(small2.BaseOffset, 1 << 20, maxOffsetExclusive: small2.BaseOffset, minOneBatch: true))
            Assert.True(result.IsEmpty);
        using (var atEnd = log.Read(log.LogEndOffset, 1000, long.MaxValue, true))
            Assert.Equal((LogReadStatus.Ok, true), (atEnd.Status, atEnd.IsEmpty));
        using (var past = log.Read(log.LogEndOffset + 1, 1000, long.MaxValue, true))
            Assert.Equal(LogReadStatus.OffsetOutOfRange, past.Status);
        log.Close();
    }

    [Fact]
    public void Rolls_by_size()
    {
        var config = Small with { SegmentBytes = 2000 };
        var log = Open(_dir.Path, config, _time);
        var stored = new List<StoredBatch>();
        for (int i = 0; i < 30; i++) stored.Add(Append(log, 2, _time.NowMs, valueSize: 150));
        int batchSize = stored[0].Bytes.Length;
        Assert.All(log.Segments, s => Assert.True(s.Size <= config.SegmentBytes));
        Assert.All(log.Segments.SkipLast(1), s => Assert.True(s.Size + batchSize > config.SegmentBytes));
        Assert.Equal(stored.Where((_, i) => i % (2000 / batchSize) == 0).Select(b => b.BaseOffset), log.Segments.Select(s => s.BaseOffset));
        log.Close();
    }

    [Fact]
    public void Rolls_by_age_of_the_first_batch()
    {
        var config = Small with { SegmentBytes = 1 << 20, SegmentMs = 60_000 };
        var log = Open(_dir.Path, config, _time);
        Append(log, 1, _time.NowMs);
        _time.Advance(TimeSpan.FromSeconds(30));
        Append(log, 1, _time.NowMs);
        Assert.Single(log.Segments);
        _time.Advance(TimeSpan.FromSeconds(31));
        var third = Append(log, 1, _time.NowMs);
        Assert.Equal([0L, third.BaseOffset], log.Segments.Select(s => s.BaseOffset));
        log.Close();
    }

    [Fact]
    public void Finds_offsets_by_timestamp()
    {
        var log = Open(_dir.Path, Small, _time);
        var stored = new List<StoredBatch>();
        long t0 = 1_000_000;
        for (int i = 0; i < 60; i++)
        {
            int count = 1 + i % 4;
            var timestamps = Enumerable.Range(0, count).Select(r => t0 + i * 100 + r * 20).ToArray();
            if (i == 30) timestamps[^1] = t0 + 99_999; // the largest timestamp, in the middle of the log
            var codec = i % 3 == 0 ? CompressionCodec.Gzip : CompressionCodec.None;
            stored.Add(Append(log, count, 0, valueSize: 60, codec: codec, timestamps: timestamps));
        }
        var records = stored.SelectMany(b => b.Timestamps.Select((ts, r) => (Offset: b.BaseOffset + r, Timestamp: ts))).ToList();
        for (long target = t0 - 50; target < t0 + 6200; target += 7)
        {
            var expected = records.FirstOrDefault(r => r.Timestamp >= target);
            var found = log.FindOffsetByTimestamp(target);
            Assert.NotNull(found);
            Assert.Equal((expected.Offset, expected.Timestamp), (found.Value.Offset, found.Value.Timestamp));
        }
        Assert.Null(log.FindOffsetByTimestamp(t0 + 100_000));
        var max = records.MaxBy(r => r.Timestamp);
        Assert.Equal((max.Timestamp, max.Offset), (log.FindOffsetByTimestamp(-3)!.Value.Timestamp, log.FindOffsetByTimestamp(-3)!.Value.Offset));
        Assert.Equal(log.LogEndOffset, log.FindOffsetByTimestamp(-1)!.Value.Offset);
        Assert.Equal(0, log.FindOffsetByTimestamp(-2)!.Value.Offset);
        log.Close();

        // The indexes written on close give the same answers.
        log = Open(_dir.Path, Small, _time);
        Assert.Equal(records.First(r => r.Timestamp >= t0 + 3010).Offset, log.FindOffsetByTimestamp(t0 + 3010)!.Value.Offset);
        Assert.Equal(max.Offset, log.FindOffsetByTimestamp(-3)!.Value.Offset);
        log.Close();
    }

    [Fact]
    public void Reopen_after_clean_close_keeps_everything_and_offsets_continue()
    {
        var log = Open(_dir.Path, Small, _time);
        var stored = AppendMany(log, 80);
        long end = log.LogEndOffset;
        int segments = log.Segments.Count;
        log.Close();

        log = Open(_dir.Path, Small, _time, recoveryPoint: end, clean: true);
        Assert.Equal((end, segments, end), (log.LogEndOffset, log.Segments.Count, log.RecoveryPoint));
        Assert.Equal(Concat(stored), ReadAll(log));
        var next = Append(log, 2, _time.NowMs);
        Assert.Equal(end, next.BaseOffset);
        Assert.Equal(Concat([.. stored, next]), ReadAll(log));
        log.Close();
    }

    [Fact]
    public void Follower_append_keeps_offsets_and_truncate_removes_the_tail()
    {
        var leaderDir = _dir.Sub("leader");
        var leader = Open(leaderDir, Small, _time);
        var stored = new List<StoredBatch>();
        for (int i = 0; i < 40; i++) stored.Add(Append(leader, 3, _time.NowMs, valueSize: 100, epoch: i < 20 ? 1 : 2));
        var follower = Open(_dir.Sub("follower"), Small, _time);
        follower.AppendAsFollower(Concat(stored));
        Assert.Equal(leader.LogEndOffset, follower.LogEndOffset);
        Assert.Equal(Concat(stored), ReadAll(follower));
        Assert.Equal(leader.LeaderEpochs.Entries, follower.LeaderEpochs.Entries);

        follower.TruncateTo(stored[25].BaseOffset);
        Assert.Equal(stored[25].BaseOffset, follower.LogEndOffset);
        Assert.Equal(Concat(stored.Take(25)), ReadAll(follower));
        Assert.Equal(Append(follower, 1, _time.NowMs, epoch: 3).BaseOffset, stored[25].BaseOffset);
        Assert.Equal([new EpochEntry(1, 0), new EpochEntry(2, 60), new EpochEntry(3, 75)], follower.LeaderEpochs.Entries);
        leader.Close();
        follower.Close();
    }

    [Fact]
    public void Flush_policy_advances_the_recovery_point()
    {
        var log = Open(_dir.Path, Small with { FlushIntervalMessages = 10 }, _time);
        Append(log, 4, _time.NowMs);
        Append(log, 4, _time.NowMs);
        Assert.Equal(0, log.RecoveryPoint);
        Append(log, 4, _time.NowMs);
        Assert.Equal(12, log.RecoveryPoint);
        log.Config = Small with { FlushIntervalMs = 1000 };
        Append(log, 1, _time.NowMs);
        Assert.Equal(12, log.RecoveryPoint);
        _time.Advance(TimeSpan.FromSeconds(2));
        Append(log, 1, _time.NowMs);
        Assert.Equal(14, log.RecoveryPoint);
        log.Close();
    }
}
