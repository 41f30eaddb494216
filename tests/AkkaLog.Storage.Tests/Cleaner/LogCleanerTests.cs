using AkkaLog.Protocol.Records;
using AkkaLog.Storage.Cleaner;
using static AkkaLog.Storage.Tests.Cleaner.Compacted;

namespace AkkaLog.Storage.Tests.Cleaner;

public sealed class LogCleanerTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    // The partition directory sits inside the temp dir, which plays the log dir holding the checkpoint.
    private string LogPath => _dir.Sub(Batches.Tp.DirectoryName);

    private PartitionLog OpenLog(LogConfig? config = null) => Batches.Open(LogPath, config ?? Compacted.Config, _time);

    [Fact]
    public void Keeps_only_the_latest_record_per_key_at_its_original_offset()
    {
        var log = OpenLog();
        var latest = AppendUpdates(log, keys: 20, rounds: 10, _time.NowMs);
        log.Roll();
        long endBefore = log.LogEndOffset;
        var before = ReadRecords(log);
        using var cleaner = NewCleaner(_time);

        var result = cleaner.CleanOnce([log]);

        Assert.NotNull(result);
        Assert.Equal(CleanerPassOutcome.Cleaned, result.Outcome);
        Assert.Equal((0L, log.Segments[^1].BaseOffset), (result.FirstDirtyOffset, result.EndOffset));
        Assert.Equal((200L, 180L), (result.RecordsRead, result.RecordsRemoved));
        var after = ReadRecords(log);
        AssertStrictlyIncreasing(after);
        Assert.Equal(20, after.Count);
        foreach (var record in after)
        {
            Assert.Equal(latest[record.Key!], (record.Offset, record.Value!));
            Assert.Contains(record, before);
        }
        Assert.Equal(endBefore, log.LogEndOffset);
        Assert.Null(cleaner.CleanOnce([log])); // nothing dirty any more
        log.Close();
    }

    [Fact]
    public void The_log_shrinks_into_fewer_files()
    {
        var log = OpenLog(Compacted.Config with { SegmentBytes = 64 * 1024 });
        for (int round = 0; round < 40; round++)
        {
            AppendUpdates(log, keys: 10, rounds: 1, _time.NowMs, firstRound: round);
            log.Roll();
        }
        int segmentsBefore = log.Segments.Count;
        long sizeBefore = log.Size;
        int filesBefore = FilesEndingWith(LogPath, ".log").Length;
        Assert.True(segmentsBefore > 10, $"{segmentsBefore} segments");

        var result = NewCleaner(_time).CleanOnce([log])!;

        Assert.True(log.Size < sizeBefore / 10, $"{log.Size} of {sizeBefore}");
        Assert.Equal(2, log.Segments.Count); // one cleaned segment plus the active one
        Assert.Equal((segmentsBefore - 1, 1), (result.SegmentsBefore, result.SegmentsAfter));
        Assert.Equal(sizeBefore, result.BytesBefore);
        Assert.Equal(log.Segments[0].Size, result.BytesAfter);
        Assert.Equal(2, FilesEndingWith(LogPath, ".log").Length);
        Assert.True(filesBefore > 10);
        Assert.Empty(FilesEndingWith(LogPath, ".cleaned"));
        Assert.Empty(FilesEndingWith(LogPath, ".swap"));
        Assert.Empty(FilesEndingWith(LogPath, ".deleted"));
        log.Close();
    }

    [Fact]
    public void The_active_segment_is_never_rewritten()
    {
        var log = OpenLog(Compacted.Config with { SegmentBytes = 1024 * 1024 });
        AppendUpdates(log, keys: 10, rounds: 5, _time.NowMs);
        log.Roll();
        AppendUpdates(log, keys: 10, rounds: 5, _time.NowMs, firstRound: 5);
        var active = log.Segments[^1];
        var activeBytes = Batches.ReadAll(log).AsSpan((int)log.Segments[0].Size).ToArray();

        var result = NewCleaner(_time).CleanOnce([log])!;

        Assert.Equal(CleanerPassOutcome.Cleaned, result.Outcome);
        Assert.Same(active, log.Segments[^1]);
        Assert.Equal(active.BaseOffset, result.EndOffset);
        // The active segment still has every record; the cleaned one has one per key (the map stops at the active segment).
        var records = ReadRecords(log);
        Assert.Equal(10 + 50, records.Count);
        var all = Batches.ReadAll(log);
        Assert.Equal(activeBytes, all.AsSpan((int)log.Segments[0].Size).ToArray());
        log.Close();
    }

    [Fact]
    public void A_log_below_its_dirty_ratio_is_left_alone()
    {
        var log = OpenLog(Compacted.Config with { MinCleanableDirtyRatio = 0.5 });
        AppendUpdates(log, keys: 20, rounds: 4, _time.NowMs, padding: 200);
        log.Roll();
        using var cleaner = NewCleaner(_time);
        Assert.Equal(1.0, cleaner.CleanOnce([log])!.DirtyRatio);
        long cleanSize = log.Size;

        // A little dirt: below the ratio, so nothing happens.
        AppendUpdates(log, keys: 5, rounds: 1, _time.NowMs, padding: 200);
        log.Roll();
        long sizeBefore = log.Size;
        Assert.True((double)(sizeBefore - cleanSize) / sizeBefore < 0.5);
        Assert.Null(cleaner.CleanOnce([log]));
        Assert.Equal(sizeBefore, log.Size);

        // More dirt: over the ratio.
        AppendUpdates(log, keys: 20, rounds: 2, _time.NowMs, padding: 200);
        log.Roll();
        var result = cleaner.CleanOnce([log]);
        Assert.NotNull(result);
        Assert.True(result.DirtyRatio >= 0.5, $"ratio {result.DirtyRatio}");
        Assert.Equal(20, ReadRecords(log).Count);
        log.Close();
    }

    [Fact]
    public void The_dirtiest_log_is_cleaned_first()
    {
        var a = OpenPartition(_dir, "a-0", Compacted.Config, _time);
        var b = OpenPartition(_dir, "b-0", Compacted.Config, _time);
        AppendUpdates(a, keys: 10, rounds: 3, _time.NowMs);
        a.Roll();
        AppendUpdates(b, keys: 10, rounds: 3, _time.NowMs);
        b.Roll();
        using var cleaner = NewCleaner(_time);
        Assert.NotEqual(cleaner.CleanOnce([a, b])!.Log, cleaner.CleanOnce([a, b])!.Log);
        AppendUpdates(a, keys: 10, rounds: 1, _time.NowMs);
        a.Roll();
        AppendUpdates(b, keys: 10, rounds: 6, _time.NowMs);
        b.Roll();

        var result = cleaner.CleanOnce([a, b])!;

        Assert.Same(b, result.Log);
        Assert.Same(a, cleaner.CleanOnce([a, b])!.Log);
        a.Close();
        b.Close();
    }

    [Fact]
    public void Segments_younger_than_min_compaction_lag_stay_dirty()
    {
        var log = OpenLog(Compacted.Config with { MinCompactionLagMs = 3_600_000 });
        AppendUpdates(log, keys: 10, rounds: 4, _time.NowMs);
        log.Roll();
        using var cleaner = NewCleaner(_time);
        Assert.Null(cleaner.CleanOnce([log]));

        _time.Advance(TimeSpan.FromHours(2));
        long youngBase = log.LogEndOffset;
        AppendUpdates(log, keys: 10, rounds: 2, _time.NowMs, firstRound: 4);
        log.Roll();

        var result = cleaner.CleanOnce([log])!;

        Assert.Equal(youngBase, result.EndOffset);
        var records = ReadRecords(log);
        Assert.Equal(10, records.Count(r => r.Offset < youngBase));
        Assert.Equal(20, records.Count(r => r.Offset >= youngBase)); // young records untouched, duplicates and all
        log.Close();
    }

    [Fact]
    public void A_dirty_segment_older_than_max_compaction_lag_is_cleaned_whatever_the_ratio()
    {
        var config = Compacted.Config with { MinCleanableDirtyRatio = 0.99, MaxCompactionLagMs = 3_600_000 };
        Assert.Equal(3_600_000, config.MaxSegmentMs);
        Assert.Equal(Batches.Small.SegmentMs, (config with { CleanupPolicy = CleanupPolicy.Delete }).MaxSegmentMs);
        var log = OpenLog(config);
        AppendUpdates(log, keys: 10, rounds: 4, _time.NowMs, padding: 200);
        log.Roll();
        using var cleaner = NewCleaner(_time);
        Assert.NotNull(cleaner.CleanOnce([log])); // ratio 1.0
        AppendUpdates(log, keys: 3, rounds: 1, _time.NowMs, padding: 200, firstRound: 4);
        log.Roll();
        Assert.Null(cleaner.CleanOnce([log]));

        _time.Advance(TimeSpan.FromHours(2));
        var result = cleaner.CleanOnce([log]);

        Assert.NotNull(result);
        Assert.True(result.DirtyRatio < 0.99);
        Assert.Equal(10, ReadRecords(log).Count);
        log.Close();
    }

    [Fact]
    public void Tombstones_outlive_one_pass_and_delete_retention_then_go()
    {
        var log = OpenLog(Compacted.Config with { DeleteRetentionMs = 3_600_000 });
        AppendUpdates(log, keys: 10, rounds: 2, _time.NowMs);
        long tombstone = Append(log, [("k3", null)], _time.NowMs);
        log.Roll();
        using var cleaner = NewCleaner(_time);

        cleaner.CleanOnce([log]);
        var records = ReadRecords(log);
        Assert.Equal(new KeyedRecord(tombstone, "k3", null, _time.NowMs), Assert.Single(records, r => r.Key == "k3"));

        // A later pass within delete.retention.ms keeps it.
        _time.Advance(TimeSpan.FromMinutes(30));
        AppendUpdates(log, keys: 1, rounds: 1, _time.NowMs, firstRound: 7);
        log.Roll();
        Assert.Equal(CleanerPassOutcome.Cleaned, cleaner.CleanOnce([log])!.Outcome);
        Assert.Single(ReadRecords(log), r => r.Key == "k3");

        // Once its segment (merged with the one from 30 minutes later) is older than delete.retention.ms,
        // the next pass drops it.
        _time.Advance(TimeSpan.FromHours(2));
        AppendUpdates(log, keys: 1, rounds: 1, _time.NowMs, firstRound: 8);
        log.Roll();
        Assert.Equal(CleanerPassOutcome.Cleaned, cleaner.CleanOnce([log])!.Outcome);
        records = ReadRecords(log);
        Assert.DoesNotContain(records, r => r.Key == "k3");
        Assert.Equal(9, records.Count);
        AssertStrictlyIncreasing(records);
        log.Close();
    }

    [Fact]
    public void A_fresh_tombstone_is_kept_even_in_an_old_segment_until_a_later_pass()
    {
        var log = OpenLog(Compacted.Config with { DeleteRetentionMs = 1000 });
        Append(log, [("a", "1"), ("b", null)], _time.NowMs - 10_000);
        log.Roll();
        using var cleaner = NewCleaner(_time);
        cleaner.CleanOnce([log]);
        Assert.Equal([("a", "1"), ("b", null)], ReadRecords(log).Select(r => (r.Key, r.Value)));
        Append(log, [("a", "2")], _time.NowMs);
        log.Roll();
        cleaner.CleanOnce([log]);
        Assert.Equal([("a", "2")], ReadRecords(log).Select(r => (r.Key, r.Value)));
        log.Close();
    }

    [Fact]
    public void Records_with_null_keys_are_dropped_below_the_map_end_as_kafka_does()
    {
        var log = OpenLog();
        Append(log, [("a", "1"), (null, "x"), ("b", "1"), (null, "y")], _time.NowMs);
        log.Roll();
        Append(log, [(null, "z"), ("a", "2")], _time.NowMs);

        var result = NewCleaner(_time).CleanOnce([log])!;

        Assert.Equal(2, result.RecordsRemoved);
        Assert.Equal([("a", "1"), ("b", "1"), (null, "z"), ("a", "2")], ReadRecords(log).Select(r => (r.Key, r.Value)));
        log.Close();
    }

    [Theory]
    [InlineData(CompressionCodec.Gzip)]
    [InlineData(CompressionCodec.Snappy)]
    [InlineData(CompressionCodec.Lz4)]
    [InlineData(CompressionCodec.Zstd)]
    public void Compressed_batches_are_recompressed_with_their_codec(CompressionCodec codec)
    {
        var log = OpenLog();
        var keys = Enumerable.Range(0, 10).Select(i => $"k{i}").ToList();
        long first = Append(log, keys.Select(k => ((string?)k, (string?)("old-" + k))), _time.NowMs, codec);
        Append(log, keys.Where((_, i) => i % 2 == 0).Select(k => ((string?)k, (string?)("new-" + k))), _time.NowMs, codec);
        log.Roll();

        NewCleaner(_time).CleanOnce([log]);

        var bytes = Batches.ReadAll(log);
        var rewritten = RecordBatchHeader.Read(bytes);
        Assert.Equal(codec, rewritten.Compression);
        Assert.Equal((first, 9, 5), (rewritten.BaseOffset, rewritten.LastOffsetDelta, rewritten.RecordsCount));
        Assert.All(Decode(bytes), r => Assert.Equal((int.Parse(r.Key![1..]) % 2 == 0 ? "new-" : "old-") + r.Key, r.Value));
        Assert.Equal(10, ReadRecords(log).Count);
        log.Close();
    }

    [Fact]
    public void A_rewritten_batch_keeps_its_header_and_gets_a_new_count_max_timestamp_and_crc()
    {
        var log = OpenLog();
        using var builder = new RecordBatchBuilder();
        for (int i = 0; i < 4; i++) builder.Append(_time.NowMs + i * 10, [(byte)('a' + i)], [1]);
        var original = builder.ToArray(producerId: 77, producerEpoch: 3, baseSequence: 100);
        log.Append(original, leaderEpoch: 5, logAppendTimeMs: null);
        Append(log, [("d", "later")], _time.NowMs); // supersedes the record with the max timestamp
        log.Roll();

        NewCleaner(_time).CleanOnce([log]);

        var bytes = Batches.ReadAll(log);
        Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(bytes, default, out var header));
        var before = RecordBatchHeader.Read(original);
        Assert.Equal((0L, 5, before.Attributes, 3, before.BaseTimestamp),
            (header.BaseOffset, header.PartitionLeaderEpoch, header.Attributes, header.LastOffsetDelta, header.BaseTimestamp));
        Assert.Equal((77L, (short)3, 100), (header.ProducerId, header.ProducerEpoch, header.BaseSequence));
        Assert.Equal((3, _time.NowMs + 20), (header.RecordsCount, header.MaxTimestamp));
        Assert.Equal([0L, 1, 2, 4], Decode(bytes).Select(r => r.Offset));
        log.Close();
    }

    [Fact]
    public void Logs_without_the_compact_policy_are_not_cleaned_and_compact_only_logs_skip_retention()
    {
        var deleteOnly = OpenPartition(_dir, "d-0", Compacted.Config with { CleanupPolicy = CleanupPolicy.Delete }, _time);
        AppendUpdates(deleteOnly, keys: 5, rounds: 5, _time.NowMs);
        deleteOnly.Roll();
        Assert.Null(NewCleaner(_time).CleanOnce([deleteOnly]));

        var compactOnly = OpenPartition(_dir, "c-0", Compacted.Config with { RetentionMs = 1000, RetentionBytes = 100 }, _time);
        AppendUpdates(compactOnly, keys: 5, rounds: 5, _time.NowMs - 10_000);
        compactOnly.Roll();
        Assert.Equal(0, compactOnly.ApplyRetention(_time.NowMs));
        var both = OpenPartition(_dir, "b-0", compactOnly.Config with { CleanupPolicy = CleanupPolicy.Compact | CleanupPolicy.Delete }, _time);
        AppendUpdates(both, keys: 5, rounds: 5, _time.NowMs - 10_000);
        both.Roll();
        Assert.True(both.ApplyRetention(_time.NowMs) > 0);
        deleteOnly.Close();
        compactOnly.Close();
        both.Close();
    }

    [Fact]
    public void Cleanup_policy_parses_as_kafka_writes_it()
    {
        Assert.Equal(CleanupPolicy.Delete, LogConfig.ParseCleanupPolicy("delete"));
        Assert.Equal(CleanupPolicy.Compact | CleanupPolicy.Delete, LogConfig.ParseCleanupPolicy("compact, delete"));
        Assert.Equal(CleanupPolicy.None, LogConfig.ParseCleanupPolicy(""));
        Assert.Throws<FormatException>(() => LogConfig.ParseCleanupPolicy("compact,purge"));
        var defaults = LogConfig.Default;
        Assert.Equal((CleanupPolicy.Delete, 0.5, 0L, long.MaxValue, 86_400_000L), (defaults.CleanupPolicy,
            defaults.MinCleanableDirtyRatio, defaults.MinCompactionLagMs, defaults.MaxCompactionLagMs, defaults.DeleteRetentionMs));
    }
}
