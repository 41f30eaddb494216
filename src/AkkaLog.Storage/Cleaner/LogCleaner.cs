using AkkaLog.Storage.Internal;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// Log compaction for <c>cleanup.policy=compact</c> logs, Kafka's <c>LogCleaner</c>: keeps at least the
/// latest record for every key, drops older ones, and drops tombstones once consumers had
/// <see cref="LogConfig.DeleteRetentionMs"/> to see them. Our own code: no .NET library does this.
/// <para>
/// A pass (<see cref="CleanOnce"/>): pick the compacted log with the highest dirty ratio that reaches its
/// <see cref="LogConfig.MinCleanableDirtyRatio"/> (or whose oldest dirty segment passed
/// <see cref="LogConfig.MaxCompactionLagMs"/>), see <see cref="CleanableRange"/>; build an
/// <see cref="OffsetMap"/> of key hash to latest offset over its dirty section (from the checkpoint up to
/// the first uncleanable offset, or as far as <see cref="CleanerConfig.DedupeBufferSize"/> reaches); then
/// rewrite every inactive segment below the map's end, in groups (<see cref="SegmentGroups"/>), keeping the
/// records <see cref="RetentionRule"/> retains with their offsets (gaps are fine); swap each group's output
/// in (<see cref="PartitionLog.ReplaceSegments"/>); move the log's <c>cleaner-offset-checkpoint</c> entry to
/// the map's end. The active segment is never touched.
/// </para>
/// <para>
/// Tombstones: Kafka (before KIP-534) removes a tombstone in a later pass once its segment is older than
/// delete.retention.ms, measured from segment modification times. We measure from the segment's largest
/// record timestamp (its file time when it has none) against the cleaner's clock, and require that an
/// earlier pass cleaned the tombstone (it lies below the checkpoint this pass began at), so a tombstone
/// always survives at least one pass and delete.retention.ms.
/// </para>
/// <para>
/// Crash story: output is written as <c>.cleaned</c> files, fsynced, renamed <c>.swap</c>, swapped into the
/// segment list, the replaced segments renamed <c>.deleted</c>, then the swap files renamed to their final
/// names; <see cref="PartitionLog.Open"/> deletes <c>.cleaned</c> files and finishes <c>.swap</c> files. The
/// checkpoint moves only after every group is in, so an interrupted pass is redone.
/// </para>
/// <para>
/// Threads: one pass at a time (a concurrent call throws), on a thread of the host's choosing (the broker
/// runs it from a timer: call again at once after a pass that returned a result, else wait
/// <see cref="CleanerConfig.BackoffMs"/>). Owners keep appending, rolling, applying retention and truncating
/// meanwhile; readers keep reading (see <see cref="PartitionLog"/>). Not done yet (no transactions or
/// producer state in the broker): aborted transactional data and markers are kept, and an emptied batch is
/// dropped even when it is an idempotent producer's last.
/// </para>
/// </summary>
public sealed partial class LogCleaner : IDisposable
{
    /// <summary>The per-log-dir checkpoint file.</summary>
    public const string CheckpointFileName = CleanerCheckpoints.FileName;

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CleanerCheckpoints _checkpoints;
    private readonly Throttler _throttler;
    private readonly SegmentBatchReader _reader;
    private readonly BatchFilter _filter = new();
    private readonly PooledBufferWriter _output;
    private readonly HashSet<TopicPartition> _uncleanable = [];
    private OffsetMap? _map;
    private int _running;

    /// <summary>A cleaner with <paramref name="config"/>; <paramref name="time"/> drives lags, retention and throttling.</summary>
    public LogCleaner(CleanerConfig config, TimeProvider time, ILogger logger) : this(config, time, logger, sleep: null)
    {
    }

    // Tests pass a sleep that advances their clock instead of waiting.
    internal LogCleaner(CleanerConfig config, TimeProvider time, ILogger logger, Action<TimeSpan, CancellationToken>? sleep)
    {
        Config = config;
        _time = time;
        _logger = logger;
        _checkpoints = new CleanerCheckpoints(logger);
        _throttler = new Throttler(config.MaxIoBytesPerSecond, time, sleep);
        _reader = new SegmentBatchReader(config.IoBufferSize, _throttler);
        _output = new PooledBufferWriter(config.IoBufferSize);
    }

    /// <summary>The broker-wide cleaner settings.</summary>
    public CleanerConfig Config { get; }

    /// <summary>Partitions whose last clean failed; they are skipped until <see cref="MarkCleanable"/>.</summary>
    public IReadOnlyCollection<TopicPartition> UncleanablePartitions
    {
        get { lock (_uncleanable) return [.. _uncleanable]; }
    }

    /// <summary>Total time the I/O throttle (<see cref="CleanerConfig.MaxIoBytesPerSecond"/>) has slept.</summary>
    public TimeSpan TotalThrottled => _throttler.TotalSlept;

    /// <summary>Called at each on-disk step of a swap (tests copy the directory there to simulate a crash).</summary>
    internal Action<CleanerStage, PartitionLog>? OnStage { get; set; }

    /// <summary>Lets a partition marked uncleanable be cleaned again (after an operator fixed its log, say).</summary>
    public void MarkCleanable(TopicPartition topicPartition)
    {
        lock (_uncleanable) _uncleanable.Remove(topicPartition);
    }

    /// <summary>
    /// One pass: cleans the dirtiest compactable log among <paramref name="logs"/> and returns what it did, or
    /// null when no log needs cleaning. Pass every log the broker hosts (at least every compacted one) each
    /// time: checkpoint entries of partitions missing from the call are dropped (that is how a deleted log's
    /// entry goes). Closed logs and logs without <see cref="CleanupPolicy.Compact"/> are not cleaned. A failure
    /// does not throw: it comes back as <see cref="CleanerPassOutcome.Failed"/> and the partition is skipped
    /// from then on. Cancellation stops the pass at the next batch (or throttle sleep), drops its unfinished
    /// files and throws <see cref="OperationCanceledException"/>; groups already swapped in stay.
    /// </summary>
    public CleanerPassResult? CleanOnce(IEnumerable<PartitionLog> logs, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0) throw new InvalidOperationException("a cleaner pass is already running");
        try
        {
            var live = logs.ToList(); // closed ones too: their checkpoint entries stay for the next start
            long nowMs = NowMs;
            CleanableRange? dirtiest = null;
            foreach (var log in live)
            {
                if (log.CloseRequested || !log.Config.Compact || IsUncleanable(log.TopicPartition)) continue;
                var range = CleanableRange.Compute(log, CheckpointAfterTruncation(log, live), nowMs);
                if (range.ShouldClean && (dirtiest is null || range.DirtyRatio > dirtiest.DirtyRatio)) dirtiest = range;
            }
            return dirtiest is null ? null : Clean(dirtiest.Log, dirtiest.DirtyRatio, live, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }
    }

    /// <summary>Returns the buffers to the pool; call after the last pass. The offset map is left to the garbage collector.</summary>
    public void Dispose()
    {
        _reader.Dispose();
        _filter.Dispose();
        _output.Dispose();
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private bool IsUncleanable(TopicPartition topicPartition)
    {
        lock (_uncleanable) return _uncleanable.Contains(topicPartition);
    }

    // Kafka's maybeTruncateCheckpoint: records appended after a truncation below the checkpoint are dirty.
    private long? CheckpointAfterTruncation(PartitionLog log, List<PartitionLog> live)
    {
        long? checkpoint = _checkpoints.Get(log);
        long truncatedTo = log.TakeTruncatedOffset();
        if (checkpoint is not long offset || truncatedTo >= offset) return checkpoint;
        CleanerLog.CheckpointLowered(_logger, log.TopicPartition, offset, truncatedTo);
        _checkpoints.Set(log, truncatedTo, live);
        return truncatedTo;
    }

    private CleanerPassResult Clean(PartitionLog log, double dirtyRatio, List<PartitionLog> live, CancellationToken cancellationToken)
    {
        long started = _time.GetTimestamp();
        using var scope = log.CleanerLock.EnterScope();
        // Read the stamp before the snapshot: a truncation after it makes the swap refuse.
        long stamp = log.TruncationStamp;
        var range = CleanableRange.Compute(log, _checkpoints.Get(log), NowMs);
        var progress = new PassProgress(range);
        try
        {
            // Retention or truncation may have taken the dirty section since the log was chosen.
            if (log.CloseRequested || range.CleanableBytes == 0)
                throw new LogCleaningAbortedException(log.TopicPartition, "closed, or nothing left to clean");
            bool completed = CleanLog(range, stamp, progress, cancellationToken);
            if (completed) _checkpoints.Set(log, progress.EndOffset, live);
            var result = progress.ToResult(completed ? CleanerPassOutcome.Cleaned : CleanerPassOutcome.Aborted, dirtyRatio,
                _time.GetElapsedTime(started));
            if (completed)
                CleanerLog.Cleaned(_logger, log.TopicPartition, result.FirstDirtyOffset, result.EndOffset, dirtyRatio, result.BytesBefore,
                    result.BytesAfter, result.SegmentsBefore, result.SegmentsAfter, result.RecordsRemoved, result.RecordsRead,
                    (long)result.Duration.TotalMilliseconds);
            else CleanerLog.Aborted(_logger, log.TopicPartition);
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is LogCleaningAbortedException or ObjectDisposedException || log.CloseRequested
                                  || log.TruncationStamp != stamp)
        {
            // The log changed under us (closed, truncated, a segment deleted): not the log's fault.
            CleanerLog.Aborted(_logger, log.TopicPartition);
            return progress.ToResult(CleanerPassOutcome.Aborted, dirtyRatio, _time.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            lock (_uncleanable) _uncleanable.Add(log.TopicPartition);
            CleanerLog.Failed(_logger, log.TopicPartition, e);
            return progress.ToResult(CleanerPassOutcome.Failed, dirtyRatio, _time.GetElapsedTime(started)) with { Error = e };
        }
    }
}
