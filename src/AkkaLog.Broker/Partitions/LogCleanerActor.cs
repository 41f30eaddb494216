using AkkaLog.Actors;
using AkkaLog.Storage;
using AkkaLog.Storage.Cleaner;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Partitions;

/// <summary>Messages of the <see cref="LogCleanerActor"/>: its own timer tick.</summary>
internal sealed record CleanerTick;

/// <summary>
/// Hosts the <see cref="LogCleaner"/>: one pass at a time, off the partition actors (the cleaner
/// only rewrites inactive segments and swaps them in under the log's own lock). After a pass that
/// cleaned something it goes again at once; when nothing needed cleaning it waits
/// <c>log.cleaner.backoff.ms</c>. A pass runs on a pool thread so throttling sleeps block no actor.
/// </summary>
internal sealed class LogCleanerActor(LogCleaner cleaner, Func<IEnumerable<PartitionLog>> logs, TimeSpan backoff, CancellationToken stopping)
    : Actor<CleanerTick>
{
    private const string Timer = "clean";

    protected override ValueTask PreStartAsync()
    {
        ScheduleOnce(Timer, backoff, new CleanerTick());
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask ReceiveAsync(CleanerTick message)
    {
        if (stopping.IsCancellationRequested) return;
        CleanerPassResult? result = null;
        try
        {
            result = await Task.Run(() => cleaner.CleanOnce(logs(), stopping), CancellationToken.None);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }
        if (result is not null) Report(result);
        ScheduleOnce(Timer, result is null ? backoff : TimeSpan.Zero, new CleanerTick());
    }

    private void Report(CleanerPassResult r)
    {
        if (r.Outcome == CleanerPassOutcome.Failed)
        {
            Logger.LogError(r.Error, "Cleaning {Partition} failed; it is skipped until restart", r.TopicPartition);
            return;
        }
        Logger.LogInformation(
            "Cleaned {Partition} ({Outcome}): offsets {From}-{To}, {SegmentsBefore} segments / {BytesBefore} bytes -> {SegmentsAfter} / {BytesAfter}, {Removed} of {Read} records removed, dirty ratio {Ratio:F2}, {Ms} ms",
            r.TopicPartition, r.Outcome, r.FirstDirtyOffset, r.EndOffset, r.SegmentsBefore, r.BytesBefore, r.SegmentsAfter, r.BytesAfter,
            r.RecordsRemoved, r.RecordsRead, r.DirtyRatio, (long)r.Duration.TotalMilliseconds);
    }
}
