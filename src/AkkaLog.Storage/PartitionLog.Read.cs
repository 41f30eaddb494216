using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

public sealed partial class PartitionLog
{
    /// <summary>ListOffsets' special timestamp: the log end offset.</summary>
    public const long LatestTimestamp = -1;
    /// <summary>ListOffsets' special timestamp: the log start offset.</summary>
    public const long EarliestTimestamp = -2;
    /// <summary>ListOffsets' special timestamp (KIP-734): the record with the largest timestamp.</summary>
    public const long MaxTimestampQuery = -3;

    private const int ReadAttempts = 3;

    /// <summary>
    /// Reads stored batches, byte for byte, starting with the batch that contains <paramref name="startOffset"/>
    /// (so the first batch may begin before it). Whole batches only, at most <paramref name="maxBytes"/>
    /// bytes unless <paramref name="minOneBatch"/> lets a bigger first batch through; never a batch whose base
    /// offset is at or past <paramref name="maxOffsetExclusive"/> (the broker passes the high watermark).
    /// Reads come from one segment. OffsetOutOfRange when <paramref name="startOffset"/> is below
    /// <see cref="LogStartOffset"/> or above <see cref="LogEndOffset"/>. Any thread; dispose the result.
    /// </summary>
    public LogReadResult Read(long startOffset, int maxBytes, long maxOffsetExclusive, bool minOneBatch)
    {
        for (int attempt = 1; ; attempt++)
        {
            // Order matters: end offset first, then the segments published no later than it.
            long logEndOffset = LogEndOffset;
            long logStartOffset = LogStartOffset;
            if (_closed) ThrowHelpers.ThrowClosed(TopicPartition);
            if (startOffset < logStartOffset || startOffset > logEndOffset)
                return LogReadResult.OutOfRange(startOffset, logStartOffset, logEndOffset);
            if (startOffset == logEndOffset || startOffset >= maxOffsetExclusive || (maxBytes <= 0 && !minOneBatch))
                return LogReadResult.Empty(startOffset, logStartOffset, logEndOffset);
            var segments = Volatile.Read(ref _segments);
            try
            {
                for (int i = FloorSegment(segments, startOffset); i < segments.Length; i++)
                {
                    var result = segments[i].Read(startOffset, maxBytes, maxOffsetExclusive, minOneBatch, logStartOffset, logEndOffset);
                    if (result is not null) return result;
                }
                return LogReadResult.Empty(startOffset, logStartOffset, logEndOffset);
            }
            catch (ObjectDisposedException) when (attempt < ReadAttempts)
            {
                // A segment was deleted (retention, DeleteRecordsBefore, truncation) under us: look again.
            }
        }
    }

    /// <summary>
    /// ListOffsets: for a timestamp, the first record (from <see cref="LogStartOffset"/> on) whose timestamp
    /// is at or above it, or null when none is; <see cref="LatestTimestamp"/> gives the log end offset,
    /// <see cref="EarliestTimestamp"/> the log start offset, <see cref="MaxTimestampQuery"/> the first record
    /// carrying the largest timestamp (null for an empty log). Any thread.
    /// </summary>
    public TimestampAndOffset? FindOffsetByTimestamp(long timestampMs)
    {
        for (int attempt = 1; ; attempt++)
        {
            long logStartOffset = LogStartOffset;
            switch (timestampMs)
            {
                case LatestTimestamp:
                    return new TimestampAndOffset(-1, LogEndOffset, _epochs.LatestEpoch);
                case EarliestTimestamp:
                    return new TimestampAndOffset(-1, logStartOffset, _epochs.EpochForOffset(logStartOffset));
                case < 0 and not MaxTimestampQuery:
                    throw new ArgumentOutOfRangeException(nameof(timestampMs), timestampMs, "not a timestamp nor -1, -2, -3");
            }
            var segments = Volatile.Read(ref _segments);
            try
            {
                if (timestampMs == MaxTimestampQuery)
                {
                    LogSegment? latest = null;
                    foreach (var segment in segments)
                        if (segment.MaxTimestamp >= 0 && (latest is null || segment.MaxTimestamp > latest.MaxTimestamp)) latest = segment;
                    return latest?.FindOffsetByTimestamp(latest.MaxTimestamp, logStartOffset);
                }
                foreach (var segment in segments)
                {
                    if (segment.MaxTimestamp < timestampMs || segment.NextOffset <= logStartOffset) continue;
                    var found = segment.FindOffsetByTimestamp(timestampMs, logStartOffset);
                    if (found is not null) return found;
                }
                return null;
            }
            catch (ObjectDisposedException) when (attempt < ReadAttempts)
            {
            }
        }
    }

    // Index of the last segment whose base offset is at or below the offset (0 if none is).
    private static int FloorSegment(LogSegment[] segments, long offset)
    {
        int lo = 0, hi = segments.Length - 1, found = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (segments[mid].BaseOffset <= offset) { found = mid; lo = mid + 1; }
            else hi = mid - 1;
        }
        return found;
    }
}
