using Microsoft.Extensions.Logging;

namespace AkkaLog.Storage.Cleaner;

/// <summary>Log cleaner messages with fixed event ids (3100-3119).</summary>
internal static partial class CleanerLog
{
    [LoggerMessage(3100, LogLevel.Information,
        "{Partition}: cleaned offsets {FirstDirtyOffset} to {EndOffset} (dirty ratio {DirtyRatio:F2}): {BytesBefore} -> {BytesAfter} bytes, {SegmentsBefore} -> {SegmentsAfter} segments, {RecordsRemoved} of {RecordsRead} records removed in {ElapsedMs} ms")]
    public static partial void Cleaned(ILogger logger, TopicPartition partition, long firstDirtyOffset, long endOffset, double dirtyRatio,
        long bytesBefore, long bytesAfter, int segmentsBefore, int segmentsAfter, long recordsRemoved, long recordsRead, long elapsedMs);

    [LoggerMessage(3101, LogLevel.Information, "{Partition}: cleaning abandoned: the log was truncated, closed or lost segments meanwhile")]
    public static partial void Aborted(ILogger logger, TopicPartition partition);

    [LoggerMessage(3102, LogLevel.Error, "{Partition}: cleaning failed; the partition is marked uncleanable")]
    public static partial void Failed(ILogger logger, TopicPartition partition, Exception exception);

    [LoggerMessage(3103, LogLevel.Debug, "{Partition}: cleaner checkpoint {Checkpoint} lowered to {Offset} after a truncation")]
    public static partial void CheckpointLowered(ILogger logger, TopicPartition partition, long checkpoint, long offset);
}
