using System.Globalization;
using AkkaLog.Storage.Cleaner;
using static AkkaLog.Storage.Tests.Cleaner.Compacted;

namespace AkkaLog.Storage.Tests.Cleaner;

public sealed class CleanerConcurrencyTests : IDisposable
{
    private const int Keys = 40;
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    private string LogPath => _dir.Sub(Batches.Tp.DirectoryName);

    // The record at offset o has value "o" and key KeyOf(o): every tenth key is written once and never
    // superseded (so it must survive every clean, wherever its segment is), the rest cycle through Keys keys.
    private static string KeyOf(long offset) => offset % 10 == 0 ? $"once-{offset}" : $"k{offset % Keys}";

    private static long AppendNumbered(PartitionLog log, int count, long timestamp)
    {
        long next = log.LogEndOffset;
        var records = Enumerable.Range(0, count)
            .Select(i => ((string?)KeyOf(next + i), (string?)(next + i).ToString(CultureInfo.InvariantCulture)));
        return Append(log, records, timestamp);
    }

    [Fact]
    public async Task Readers_see_every_key_and_no_offset_twice_while_the_owner_appends_and_the_cleaner_swaps()
    {
        var config = Compacted.Config with { SegmentBytes = 8 * 1024, FileDeleteDelayMs = 0 };
        var log = Batches.Open(LogPath, config, _time);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        int ownerDone = 0;
        var passes = new List<CleanerPassResult>();
        int cleaned = 0, scans = 0;

        var cleaner = Task.Run(() =>
        {
            using var logCleaner = NewCleaner(_time);
            while (Volatile.Read(ref ownerDone) == 0 && !stop.IsCancellationRequested)
            {
                var result = logCleaner.CleanOnce([log]);
                if (result is null) Thread.Yield();
                else passes.Add(result);
                if (result?.Outcome == CleanerPassOutcome.Cleaned) Interlocked.Increment(ref cleaned);
            }
        });

        var reader = Task.Run(() =>
        {
            while (Volatile.Read(ref ownerDone) == 0 && !stop.IsCancellationRequested)
            {
                long endAtStart = log.LogEndOffset;
                var records = ReadRecords(log, maxBytes: 4096);
                AssertStrictlyIncreasing(records);
                foreach (var record in records)
                {
                    Assert.Equal(record.Offset.ToString(CultureInfo.InvariantCulture), record.Value);
                    Assert.Equal(KeyOf(record.Offset), record.Key);
                }
                // Every key's version current when the scan began, or a newer one, is there.
                var latest = LatestByKey(records);
                for (long offset = 0; offset < endAtStart; offset++)
                {
                    if (offset % 10 != 0 && offset < endAtStart - Keys) continue;
                    Assert.True(latest.TryGetValue(KeyOf(offset), out var seen) && seen.Offset >= offset,
                        $"a scan up to {endAtStart} lost key {KeyOf(offset)} at {offset}");
                }
                Interlocked.Increment(ref scans);
            }
        });

        // Keep appending until both sides have done real work alongside the appends.
        for (int i = 0; (i < 3000 || Volatile.Read(ref cleaned) < 20 || Volatile.Read(ref scans) < 20)
                        && !reader.IsCompleted && !cleaner.IsCompleted && !stop.IsCancellationRequested; i++)
        {
            AppendNumbered(log, 1 + i % 7, _time.NowMs);
            if (i % 50 == 49) log.ApplyRetention(_time.NowMs);
            // Appends overlap every pass, but an owner that outruns the cleaner forever would test nothing.
            if (i % 300 == 299)
            {
                int passesSoFar = Volatile.Read(ref cleaned);
                SpinWait.SpinUntil(() => Volatile.Read(ref cleaned) > passesSoFar || reader.IsCompleted || cleaner.IsCompleted,
                    TimeSpan.FromSeconds(5));
            }
        }
        Volatile.Write(ref ownerDone, 1);
        await Task.WhenAll(reader, cleaner);

        Assert.False(stop.IsCancellationRequested,
            $"timed out: {cleaned} passes, {scans} scans, end {log.LogEndOffset}, {log.Segments.Count} segments");
        Assert.True(cleaned >= 20, $"{cleaned} passes completed");
        Assert.All(passes, p => Assert.NotEqual(CleanerPassOutcome.Failed, p.Outcome));
        Assert.True(scans >= 20, $"{scans} scans");
        var final = ReadRecords(log);
        AssertStrictlyIncreasing(final);
        Assert.Equal(Keys - Keys / 10 + (final[^1].Offset + 10) / 10, LatestByKey(final).Count);
        log.Close();
    }

    [Fact]
    public void A_truncation_during_a_clean_abandons_it_and_leaves_the_log_as_truncated()
    {
        var log = Batches.Open(LogPath, Compacted.Config, _time);
        AppendUpdates(log, keys: 10, rounds: 10, _time.NowMs);
        log.Roll();
        long truncateAt = log.Segments[2].BaseOffset;
        var expected = ReadRecords(log).Where(r => r.Offset < truncateAt).ToList();
        using var cleaner = NewCleaner(_time);
        cleaner.OnStage = (stage, l) =>
        {
            if (stage == CleanerStage.CleanedFilesWritten && l.LogEndOffset > truncateAt) l.TruncateTo(truncateAt);
        };

        var result = cleaner.CleanOnce([log])!;

        Assert.Equal(CleanerPassOutcome.Aborted, result.Outcome);
        Assert.Equal(expected, ReadRecords(log));
        Assert.Empty(FilesEndingWith(LogPath, ".cleaned"));
        Assert.Empty(FilesEndingWith(LogPath, ".swap"));
        Assert.False(File.Exists(_dir.Sub(LogCleaner.CheckpointFileName)));
        cleaner.OnStage = null;
        log.Roll();
        Assert.Equal(CleanerPassOutcome.Cleaned, cleaner.CleanOnce([log])!.Outcome);
        Assert.Equal(10, ReadRecords(log).Count);
        log.Close();
    }

    [Fact]
    public void Segments_deleted_by_the_owner_during_a_clean_make_the_swap_refuse()
    {
        var log = Batches.Open(LogPath, Compacted.Config, _time);
        AppendUpdates(log, keys: 10, rounds: 10, _time.NowMs);
        log.Roll();
        long deleteBefore = log.Segments[1].BaseOffset;
        using var cleaner = NewCleaner(_time);
        cleaner.OnStage = (stage, l) =>
        {
            if (stage == CleanerStage.CleanedFilesWritten && l.LogStartOffset < deleteBefore) l.DeleteRecordsBefore(deleteBefore);
        };

        var result = cleaner.CleanOnce([log])!;

        Assert.Equal(CleanerPassOutcome.Aborted, result.Outcome);
        Assert.Equal(deleteBefore, log.Segments[0].BaseOffset);
        Assert.Empty(FilesEndingWith(LogPath, ".cleaned"));
        AssertStrictlyIncreasing(ReadRecords(log));
        log.Close();
    }

    [Fact]
    public async Task Close_waits_for_a_running_clean_which_stops_and_leaves_nothing_behind()
    {
        var log = Batches.Open(LogPath, Compacted.Config, _time);
        AppendUpdates(log, keys: 10, rounds: 10, _time.NowMs);
        log.Roll();
        var before = ReadRecords(log);
        using var cleaner = NewCleaner(_time);
        Task? closing = null;
        cleaner.OnStage = (stage, l) =>
        {
            if (stage != CleanerStage.CleanedFilesWritten || closing is not null) return;
            closing = Task.Run(l.Close);
            SpinWait.SpinUntil(() => l.CloseRequested);
            Assert.False(closing.IsCompleted); // it waits for the cleaner
        };

        var result = cleaner.CleanOnce([log])!;
        await closing!;

        Assert.Equal(CleanerPassOutcome.Aborted, result.Outcome);
        Assert.Empty(FilesEndingWith(LogPath, ".cleaned"));
        var reopened = Batches.Open(LogPath, Compacted.Config, _time);
        Assert.Equal(before, ReadRecords(reopened));
        reopened.Close();
    }

    [Fact]
    public void Only_one_pass_runs_at_a_time()
    {
        var log = Batches.Open(LogPath, Compacted.Config, _time);
        AppendUpdates(log, keys: 10, rounds: 3, _time.NowMs);
        log.Roll();
        using var cleaner = NewCleaner(_time);
        Exception? nested = null;
        cleaner.OnStage = (_, l) => nested ??= Record.Exception(() => cleaner.CleanOnce([l]));

        Assert.Equal(CleanerPassOutcome.Cleaned, cleaner.CleanOnce([log])!.Outcome);
        Assert.IsType<InvalidOperationException>(nested);
        log.Close();
    }
}
