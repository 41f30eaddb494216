namespace AkkaLog.Storage.Cleaner;

/// <summary>How a <see cref="LogCleaner.CleanOnce"/> pass over one log ended.</summary>
public enum CleanerPassOutcome
{
    /// <summary>Every group of segments was swapped in and the cleaner checkpoint moved to <see cref="CleanerPassResult.EndOffset"/>.</summary>
    Cleaned,
    /// <summary>
    /// The log was truncated, closed or had segments deleted under the cleaner; the cleaned files were
    /// dropped (groups swapped in before that stay, they are valid) and the checkpoint did not move.
    /// </summary>
    Aborted,
    /// <summary>
    /// Cleaning threw (<see cref="CleanerPassResult.Error"/>): the log is marked uncleanable and skipped until
    /// <see cref="LogCleaner.MarkCleanable"/>, as Kafka does.
    /// </summary>
    Failed,
}

/// <summary>
/// What one <see cref="LogCleaner.CleanOnce"/> pass did to one log: the offset range it deduplicated
/// (<see cref="FirstDirtyOffset"/> up to <see cref="EndOffset"/>, from a map built over that range; every
/// inactive segment below <see cref="EndOffset"/> was rewritten), sizes and record counts before and after,
/// and how long it took.
/// </summary>
/// <param name="Log">The log cleaned.</param>
/// <param name="Outcome">Whether the pass completed.</param>
/// <param name="DirtyRatio">Dirty bytes over cleanable bytes when the log was chosen.</param>
/// <param name="FirstDirtyOffset">Where the dirty section began (the previous cleaner checkpoint).</param>
/// <param name="EndOffset">The new cleaner checkpoint: records from here on are dirty.</param>
/// <param name="BytesBefore">Bytes of the segments rewritten, before.</param>
/// <param name="BytesAfter">Bytes of the segments that replaced them.</param>
/// <param name="SegmentsBefore">Segments rewritten.</param>
/// <param name="SegmentsAfter">Segments that replaced them (groups merge small segments).</param>
/// <param name="RecordsRead">Records examined while rewriting.</param>
/// <param name="RecordsRemoved">Records dropped: superseded, expired tombstones, null keys.</param>
/// <param name="Duration">Wall time of the pass, throttling included.</param>
/// <param name="Error">Why the pass failed, for <see cref="CleanerPassOutcome.Failed"/>.</param>
public sealed record CleanerPassResult(
    PartitionLog Log,
    CleanerPassOutcome Outcome,
    double DirtyRatio,
    long FirstDirtyOffset,
    long EndOffset,
    long BytesBefore,
    long BytesAfter,
    int SegmentsBefore,
    int SegmentsAfter,
    long RecordsRead,
    long RecordsRemoved,
    TimeSpan Duration,
    Exception? Error = null)
{
    /// <summary>The partition of <see cref="Log"/>.</summary>
    public TopicPartition TopicPartition => Log.TopicPartition;
}
