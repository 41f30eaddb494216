using static AkkaLog.Storage.Tests.Batches;

namespace AkkaLog.Storage.Tests;

public sealed class RetentionTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Time_retention_deletes_old_segments_but_never_the_active_one()
    {
        var config = Small with { RetentionMs = 3_600_000 };
        var log = Open(_dir.Path, config, _time);
        var old = Enumerable.Range(0, 40).Select(_ => Append(log, 2, _time.NowMs, valueSize: 200)).ToList();
        log.Roll();
        _time.Advance(TimeSpan.FromMinutes(90));
        var recent = Enumerable.Range(0, 40).Select(_ => Append(log, 2, _time.NowMs, valueSize: 200)).ToList();

        Assert.Equal(0, log.ApplyRetention(_time.NowMs - 3_600_000));
        int deleted = log.ApplyRetention(_time.NowMs);
        Assert.True(deleted > 0);
        Assert.Equal(recent[0].BaseOffset, log.LogStartOffset);
        Assert.Equal(Concat(recent), ReadAll(log));
        using (var gone = log.Read(old[5].BaseOffset, 1000, long.MaxValue, true))
            Assert.Equal(LogReadStatus.OffsetOutOfRange, gone.Status);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.deleted"));
        Assert.DoesNotContain(Path.Combine(_dir.Path, "00000000000000000000.log"), Directory.GetFiles(_dir.Path));

        _time.Advance(TimeSpan.FromDays(1));
        log.ApplyRetention(_time.NowMs);
        Assert.Single(log.Segments);
        Assert.True(log.Segments[0].Size > 0);
        log.Close();
    }

    [Fact]
    public void Size_retention_keeps_the_log_under_the_limit()
    {
        var config = Small with { RetentionBytes = 10_000 };
        var log = Open(_dir.Path, config, _time);
        var stored = Enumerable.Range(0, 100).Select(_ => Append(log, 2, _time.NowMs, valueSize: 200)).ToList();
        long before = log.Size;
        int deleted = log.ApplyRetention(_time.NowMs);
        Assert.True(deleted > 0);
        Assert.True(log.Size <= 10_000 + Small.SegmentBytes, $"size {log.Size}");
        Assert.True(log.Size > 10_000 - Small.SegmentBytes);
        Assert.True(log.Size < before);
        Assert.Equal(log.Segments[0].BaseOffset, log.LogStartOffset);
        Assert.Equal(Concat(stored.Where(b => b.BaseOffset >= log.LogStartOffset)), ReadAll(log));
        log.Close();
    }

    [Fact]
    public void Delayed_file_deletion_renames_then_deletes()
    {
        var config = Small with { RetentionBytes = 5_000, FileDeleteDelayMs = 60_000 };
        var log = Open(_dir.Path, config, _time);
        for (int i = 0; i < 60; i++) Append(log, 2, _time.NowMs, valueSize: 200);
        Assert.True(log.ApplyRetention(_time.NowMs) > 0);
        Assert.NotEmpty(Directory.GetFiles(_dir.Path, "*.log.deleted"));
        _time.Advance(TimeSpan.FromMinutes(2));
        log.ApplyRetention(_time.NowMs);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.deleted"));
        log.Close();
    }

    [Fact]
    public void DeleteRecordsBefore_moves_the_log_start_and_drops_whole_segments()
    {
        var log = Open(_dir.Path, Small, _time);
        var stored = Enumerable.Range(0, 60).Select(_ => Append(log, 3, _time.NowMs, valueSize: 150)).ToList();
        int segmentsBefore = log.Segments.Count;
        long target = stored[30].BaseOffset + 1; // inside a batch
        Assert.Equal(target, log.DeleteRecordsBefore(target));
        Assert.Equal(target, log.LogStartOffset);
        Assert.True(log.Segments.Count < segmentsBefore);
        Assert.True(log.Segments[0].BaseOffset <= target);
        using (var below = log.Read(target - 1, 1000, long.MaxValue, true))
            Assert.Equal(LogReadStatus.OffsetOutOfRange, below.Status);
        using (var at = log.Read(target, 1, long.MaxValue, true))
            Assert.Equal(stored[30].Bytes, at.Records.ToArray());
        Assert.Equal(target, log.FindOffsetByTimestamp(-2)!.Value.Offset);
        Assert.Equal(target, log.DeleteRecordsBefore(5));
        log.Close();
    }
}
