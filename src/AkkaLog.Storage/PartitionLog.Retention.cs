using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Deletes whole segments, oldest first and never the active one: when <see cref="LogConfig.CleanupPolicy"/>
    /// includes delete, those whose largest timestamp is older than <see cref="LogConfig.RetentionMs"/>, then
    /// those that take the log over <see cref="LogConfig.RetentionBytes"/>; whatever the policy, those wholly
    /// below <see cref="LogStartOffset"/>. Advances the log start offset to the first remaining segment and
    /// deletes files (of retention and of the cleaner's swaps) whose <see cref="LogConfig.FileDeleteDelayMs"/>
    /// has passed. Returns the number of segments deleted. Owner only.
    /// </summary>
    public int ApplyRetention(long nowMs)
    {
        ThrowIfClosed();
        DeletePendingSegments(nowMs);
        var config = Config;
        int deleted = 0;
        if (config.Delete && config.RetentionMs >= 0)
            deleted += DeleteOldestSegments((segment, _) => nowMs - segment.LargestTimestamp > config.RetentionMs, "retention.ms");
        if (config.Delete && config.RetentionBytes >= 0)
        {
            long excess = Size - config.RetentionBytes;
            deleted += DeleteOldestSegments((segment, _) =>
            {
                if (excess - segment.Size < 0) return false;
                excess -= segment.Size;
                return true;
            }, "retention.bytes");
        }
        long logStartOffset = _logStartOffset;
        deleted += DeleteOldestSegments((_, next) => next.BaseOffset <= logStartOffset, "log start offset");
        return deleted;
    }

    /// <summary>
    /// DeleteRecords: makes <paramref name="offset"/> the log start offset (reads below it fail with
    /// OffsetOutOfRange) and deletes the segments wholly below it. A lower offset than the current start is a
    /// no-op. Returns the log start offset. Owner only; the broker checks the offset against the high watermark.
    /// </summary>
    public long DeleteRecordsBefore(long offset)
    {
        ThrowIfClosed();
        if (offset > _logEndOffset)
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"beyond the log end offset {_logEndOffset}");
        if (offset <= _logStartOffset) return _logStartOffset;
        Volatile.Write(ref _logStartOffset, offset);
        _epochs.TruncateFromStart(offset);
        DeleteOldestSegments((_, next) => next.BaseOffset <= offset, "delete records");
        return offset;
    }

    /// <summary>
    /// Replication: removes everything from the batch containing <paramref name="offset"/> on (segments
    /// starting above it are deleted, the one holding it is cut at that batch) and truncates the leader epoch
    /// cache to match. Below the log start offset the log is emptied and restarts at <paramref name="offset"/>.
    /// Owner only.
    /// </summary>
    public void TruncateTo(long offset)
    {
        ThrowIfClosed();
        if (offset >= _logEndOffset) return;
        if (offset < _logStartOffset)
        {
            TruncateFullyAndStartAt(offset);
            return;
        }
        long end;
        lock (_segmentsLock)
        {
            var segments = _segments;
            int keep = FloorSegment(segments, offset) + 1;
            if (keep < segments.Length)
            {
                Volatile.Write(ref _segments, segments[..keep]);
                _active = segments[keep - 1];
                for (int i = keep; i < segments.Length; i++) RemoveSegment(segments[i], "truncation");
            }
            _active.TruncateTo(offset);
            end = _active.NextOffset;
            NoteTruncation(end);
        }
        Volatile.Write(ref _logEndOffset, end);
        _epochs.TruncateFromEnd(end);
        if (_recoveryPoint > end) Volatile.Write(ref _recoveryPoint, end);
        StorageLog.LogTruncated(_logger, TopicPartition, offset, end);
    }

    /// <summary>Deletes every segment and restarts the log, empty, at <paramref name="offset"/>. Owner only.</summary>
    public void TruncateFullyAndStartAt(long offset)
    {
        ThrowIfClosed();
        lock (_segmentsLock)
        {
            NoteTruncation(offset);
            var old = _segments;
            var segment = LogSegment.Create(Directory, offset, Config, NowMs);
            Volatile.Write(ref _logEndOffset, offset);
            Volatile.Write(ref _logStartOffset, offset);
            Volatile.Write(ref _segments, [segment]);
            _active = segment;
            foreach (var removed in old)
            {
                if (removed.BaseOffset == offset) removed.Dispose(); // its files were just recreated
                else RemoveSegment(removed, "truncation");
            }
        }
        _epochs.Clear();
        Volatile.Write(ref _recoveryPoint, offset);
        StorageLog.LogTruncated(_logger, TopicPartition, offset, offset);
    }

    // Deletes the oldest segments while the predicate (segment, next segment) holds; never the active one.
    // Under _segmentsLock, predicate included, so that the cleaner cannot swap a segment while it is judged.
    private int DeleteOldestSegments(Func<LogSegment, LogSegment, bool> predicate, string reason)
    {
        lock (_segmentsLock)
        {
            var segments = _segments;
            int count = 0;
            while (count < segments.Length - 1 && predicate(segments[count], segments[count + 1]))
                count++;
            if (count == 0) return 0;
            long newStart = segments[count].BaseOffset;
            if (newStart > _logStartOffset)
            {
                Volatile.Write(ref _logStartOffset, newStart);
                _epochs.TruncateFromStart(newStart);
            }
            Volatile.Write(ref _segments, segments[count..]);
            for (int i = 0; i < count; i++) RemoveSegment(segments[i], reason);
            return count;
        }
    }

    // Renames the files to .deleted (readers holding the segment keep reading) and deletes them now or
    // after file.delete.delay.ms. Under _segmentsLock.
    private void RemoveSegment(LogSegment segment, string reason)
    {
        StorageLog.SegmentDeleted(_logger, TopicPartition, segment.BaseOffset, reason);
        segment.RenameToDeleted();
        if (Config.FileDeleteDelayMs <= 0) segment.Delete();
        else _pendingDeletes.Add((segment, NowMs + Config.FileDeleteDelayMs));
    }

    private void DeletePendingSegments(long nowMs)
    {
        lock (_segmentsLock)
        {
            _pendingDeletes.RemoveAll(pending =>
            {
                if (pending.DueMs > nowMs) return false;
                pending.Segment.Delete();
                return true;
            });
        }
    }
}
