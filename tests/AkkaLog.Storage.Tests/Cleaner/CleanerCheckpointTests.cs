using AkkaLog.Storage.Cleaner;
using static AkkaLog.Storage.Tests.Cleaner.Compacted;

namespace AkkaLog.Storage.Tests.Cleaner;

public sealed class CleanerCheckpointTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private string CheckpointPath => _dir.Sub(LogCleaner.CheckpointFileName);

    [Fact]
    public void The_checkpoint_is_written_per_log_dir_and_survives_a_restart()
    {
        var log = OpenPartition(_dir, "users-2", Compacted.Config, _time);
        AppendUpdates(log, keys: 10, rounds: 5, _time.NowMs);
        log.Roll();
        var result = NewCleaner(_time).CleanOnce([log])!;
        Assert.Equal($"0\n1\nusers 2 {result.EndOffset}\n", File.ReadAllText(CheckpointPath));
        log.Close();

        // A restarted broker: the log counts as clean, so nothing to do.
        log = OpenPartition(_dir, "users-2", Compacted.Config, _time);
        Assert.Null(NewCleaner(_time).CleanOnce([log]));

        // Without the checkpoint the whole log is dirty again.
        File.Delete(CheckpointPath);
        var again = NewCleaner(_time).CleanOnce([log]);
        Assert.NotNull(again);
        Assert.Equal((0L, 1.0), (again.FirstDirtyOffset, again.DirtyRatio));
        log.Close();
    }

    [Fact]
    public void A_corrupt_checkpoint_counts_as_none_and_stale_entries_are_dropped()
    {
        File.WriteAllText(CheckpointPath, "0\n5\ngarbage\n");
        var log = OpenPartition(_dir, "users-0", Compacted.Config, _time);
        AppendUpdates(log, keys: 10, rounds: 2, _time.NowMs);
        log.Roll();
        using var cleaner = NewCleaner(_time);
        Assert.Equal(0, cleaner.CleanOnce([log])!.FirstDirtyOffset);
        File.WriteAllText(CheckpointPath, "0\n2\ngone 0 77\nusers 0 20\n");

        using var restarted = NewCleaner(_time);
        AppendUpdates(log, keys: 10, rounds: 2, _time.NowMs);
        log.Roll();
        var result = restarted.CleanOnce([log])!;

        Assert.Equal(20, result.FirstDirtyOffset);
        Assert.Equal($"0\n1\nusers 0 {result.EndOffset}\n", File.ReadAllText(CheckpointPath));
        log.Close();
    }

    [Fact]
    public void A_truncation_below_the_checkpoint_makes_the_new_records_dirty()
    {
        var log = OpenPartition(_dir, "users-1", Compacted.Config, _time);
        AppendUpdates(log, keys: 10, rounds: 5, _time.NowMs);
        log.Roll();
        using var cleaner = NewCleaner(_time);
        long checkpoint = cleaner.CleanOnce([log])!.EndOffset;
        log.TruncateTo(checkpoint - 15);
        long truncatedEnd = log.LogEndOffset; // at or below the target: compaction left gaps
        Assert.True(truncatedEnd <= checkpoint - 15);
        AppendUpdates(log, keys: 10, rounds: 2, _time.NowMs, firstRound: 9);
        log.Roll();

        var result = cleaner.CleanOnce([log])!;

        Assert.Equal(truncatedEnd, result.FirstDirtyOffset);
        var records = ReadRecords(log);
        Assert.Equal(10, records.Count);
        Assert.All(records, r => Assert.StartsWith("v10-", r.Value));
        log.Close();
    }

    [Fact]
    public void A_small_offset_map_cleans_over_several_passes()
    {
        var log = OpenPartition(_dir, "users-3", Compacted.Config, _time);
        var latest = AppendUpdates(log, keys: 200, rounds: 3, _time.NowMs);
        log.Roll();
        using var cleaner = NewCleaner(_time, dedupeBytes: 24 * 120); // ~108 keys per pass

        var first = cleaner.CleanOnce([log])!;
        Assert.Equal(CleanerPassOutcome.Cleaned, first.Outcome);
        Assert.True(first.EndOffset < log.Segments[^1].BaseOffset, $"end {first.EndOffset}");
        int passes = 1;
        while (cleaner.CleanOnce([log]) is { } result)
        {
            Assert.Equal(CleanerPassOutcome.Cleaned, result.Outcome);
            Assert.True(++passes < 20);
        }

        Assert.True(passes > 3, $"{passes} passes");
        var records = ReadRecords(log);
        AssertStrictlyIncreasing(records);
        Assert.Equal(latest.OrderBy(kv => kv.Value.Offset).Select(kv => (kv.Key, kv.Value.Value)), records.Select(r => (r.Key!, r.Value!)));
        log.Close();
    }

    [Fact]
    public void A_failing_log_is_marked_uncleanable_until_released()
    {
        var log = OpenPartition(_dir, "users-4", Compacted.Config, _time);
        Append(log, Enumerable.Range(0, 50).Select(i => ((string?)$"k{i}", (string?)"v")), _time.NowMs);
        log.Roll();
        using var cleaner = NewCleaner(_time, dedupeBytes: 24 * 20); // a batch of 50 keys cannot fit

        var failed = cleaner.CleanOnce([log])!;

        Assert.Equal(CleanerPassOutcome.Failed, failed.Outcome);
        Assert.IsType<InvalidOperationException>(failed.Error);
        Assert.Equal([log.TopicPartition], cleaner.UncleanablePartitions);
        Assert.Null(cleaner.CleanOnce([log]));
        cleaner.MarkCleanable(log.TopicPartition);
        Assert.Equal(CleanerPassOutcome.Failed, cleaner.CleanOnce([log])!.Outcome);
        Assert.Empty(FilesEndingWith(log.Directory, ".cleaned"));
        Assert.Equal(50, ReadRecords(log).Count);
        log.Close();
    }

    [Fact]
    public void A_corrupt_batch_fails_the_clean_without_touching_the_log()
    {
        var log = OpenPartition(_dir, "users-5", Compacted.Config, _time);
        AppendUpdates(log, keys: 10, rounds: 3, _time.NowMs);
        log.Roll();
        var segment = log.Segments[0];
        var before = File.ReadAllBytes(segment.LogFilePath);
        using (var file = new FileStream(segment.LogFilePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            file.Position = 70; // inside the first batch's records, covered by the CRC
            file.WriteByte(0xFF);
        }

        var result = NewCleaner(_time).CleanOnce([log])!;

        Assert.Equal(CleanerPassOutcome.Failed, result.Outcome);
        Assert.IsType<InvalidDataException>(result.Error);
        Assert.Same(segment, log.Segments[0]);
        Assert.Equal(before.Length, new FileInfo(segment.LogFilePath).Length);
        Assert.Empty(FilesEndingWith(log.Directory, ".cleaned"));
        log.Close();
    }
}
