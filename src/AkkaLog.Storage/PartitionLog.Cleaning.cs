using AkkaLog.Storage.Cleaner;
using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

// The log's side of compaction: what the cleaner thread may look at, and the one mutation it makes.
public sealed partial class PartitionLog
{
    private readonly Lock _cleanerLock = new();
    private long _truncations;                // under _segmentsLock
    private long _truncatedTo = long.MaxValue; // under _segmentsLock

    /// <summary>Held by the cleaner while it cleans this log; close and delete take it to wait for the clean to stop.</summary>
    internal Lock CleanerLock => _cleanerLock;

    /// <summary>True once close or delete has begun: a running clean must stop.</summary>
    internal bool CloseRequested => _closeRequested || _closed;

    /// <summary>Changes whenever the log is truncated; a clean that began under another value is abandoned.</summary>
    internal long TruncationStamp
    {
        get { lock (_segmentsLock) return _truncations; }
    }

    /// <summary>
    /// The lowest log end offset a truncation left since the last call (long.MaxValue if none), and forgets it:
    /// the cleaner checkpoint must not stay above records that replaced truncated ones.
    /// </summary>
    internal long TakeTruncatedOffset()
    {
        lock (_segmentsLock)
        {
            long offset = _truncatedTo;
            _truncatedTo = long.MaxValue;
            return offset;
        }
    }

    /// <summary>
    /// Swaps <paramref name="cleaned"/> (complete, fsynced, files named <c>.cleaned</c>) in for
    /// <paramref name="replaced"/>, Kafka's <c>replaceSegments</c>: rename the cleaned files to <c>.swap</c>;
    /// publish the new segment array; rename the replaced segments to <c>.deleted</c> (readers holding them
    /// keep reading until the delayed delete); rename the swap files to their final names. A crash at any
    /// step is finished by <see cref="Open"/>. Returns false, changing nothing, when the log was closed or
    /// truncated since <paramref name="truncationStamp"/>, or <paramref name="replaced"/> is no longer a run
    /// of inactive segments in the log (retention or truncation got there first). Cleaner thread.
    /// </summary>
    internal bool ReplaceSegments(LogSegment[] replaced, LogSegment cleaned, long truncationStamp, Action<CleanerStage>? onStage)
    {
        lock (_segmentsLock)
        {
            if (CloseRequested || _truncations != truncationStamp) return false;
            var segments = _segments;
            int at = Array.IndexOf(segments, replaced[0]);
            if (at < 0 || at + replaced.Length > segments.Length - 1) return false; // never the active segment
            for (int i = 1; i < replaced.Length; i++)
                if (!ReferenceEquals(segments[at + i], replaced[i])) return false;

            cleaned.RenameFiles(LogFileNames.SwapSuffix);
            FileIo.FlushDirectory(Directory);
            onStage?.Invoke(CleanerStage.SwapFilesWritten);

            Volatile.Write(ref _segments, [.. segments.AsSpan(0, at), cleaned, .. segments.AsSpan(at + replaced.Length)]);
            foreach (var segment in replaced) RemoveSegment(segment, "replaced by the log cleaner");
            onStage?.Invoke(CleanerStage.ReplacedSegmentsRemoved);

            cleaned.RenameFiles("");
            FileIo.FlushDirectory(Directory);
            return true;
        }
    }

    // Under _segmentsLock.
    private void NoteTruncation(long newEnd)
    {
        _truncations++;
        _truncatedTo = Math.Min(_truncatedTo, newEnd);
    }
}
