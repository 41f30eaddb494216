using Microsoft.Extensions.Logging;

namespace AkkaLog.Storage.Internal;

/// <summary>Storage log messages with fixed event ids (3000-3099).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(3000, LogLevel.Information,
        "{Partition}: loaded {Segments} segments, log start offset {LogStartOffset}, log end offset {LogEndOffset}, recovered {Recovered} segments in {ElapsedMs} ms")]
    public static partial void LogLoaded(ILogger logger, TopicPartition partition, int segments, long logStartOffset,
        long logEndOffset, int recovered, long elapsedMs);

    [LoggerMessage(3001, LogLevel.Warning,
        "{Partition}: segment {BaseOffset} had {Bytes} bytes of torn or corrupt data after offset {NextOffset}; truncated")]
    public static partial void SegmentTruncated(ILogger logger, TopicPartition partition, long baseOffset, long bytes, long nextOffset);

    [LoggerMessage(3002, LogLevel.Warning, "{Partition}: deleting segment {BaseOffset}, which follows a corrupt segment")]
    public static partial void SegmentAfterCorruptionDeleted(ILogger logger, TopicPartition partition, long baseOffset);

    [LoggerMessage(3003, LogLevel.Information, "{Partition}: deleting stray file {File}")]
    public static partial void StrayFileDeleted(ILogger logger, TopicPartition partition, string file);

    [LoggerMessage(3004, LogLevel.Debug, "{Partition}: rolled new segment at offset {BaseOffset}")]
    public static partial void SegmentRolled(ILogger logger, TopicPartition partition, long baseOffset);

    [LoggerMessage(3005, LogLevel.Information, "{Partition}: deleting segment {BaseOffset} ({Reason})")]
    public static partial void SegmentDeleted(ILogger logger, TopicPartition partition, long baseOffset, string reason);

    [LoggerMessage(3006, LogLevel.Information, "{Partition}: truncated to offset {Offset}; log end offset now {LogEndOffset}")]
    public static partial void LogTruncated(ILogger logger, TopicPartition partition, long offset, long logEndOffset);

    [LoggerMessage(3007, LogLevel.Warning, "Checkpoint file {Path} is corrupt; ignoring it")]
    public static partial void CheckpointCorrupt(ILogger logger, string path);

    [LoggerMessage(3008, LogLevel.Information, "Loaded {Logs} logs from {Directory} (clean shutdown: {Clean})")]
    public static partial void LogDirLoaded(ILogger logger, string directory, int logs, bool clean);

    [LoggerMessage(3009, LogLevel.Information, "{Partition}: log deleted")]
    public static partial void LogDeleted(ILogger logger, TopicPartition partition);

    [LoggerMessage(3013, LogLevel.Warning,
        "{Partition}: the directory holds topic id {StoredId} but the topic now has id {TopicId} (deleted and recreated meanwhile); deleting the stale log, the replica starts empty")]
    public static partial void StaleLogDeleted(ILogger logger, TopicPartition partition, string storedId, string topicId);

    [LoggerMessage(3014, LogLevel.Error,
        "{Partition}: partition.metadata cannot be read ({Problem}); the directory was moved aside to {Aside} and the replica starts empty")]
    public static partial void UnreadablePartitionMetadata(ILogger logger, TopicPartition partition, string problem, string aside);

    [LoggerMessage(3010, LogLevel.Warning, "Ignoring directory {Directory}: not a <topic>-<partition> name")]
    public static partial void UnknownDirectory(ILogger logger, string directory);

    [LoggerMessage(3011, LogLevel.Warning, "{Partition}: deleting {File}, replaced by the swap file of a clean interrupted by a crash")]
    public static partial void SegmentReplacedBySwap(ILogger logger, TopicPartition partition, string file);

    [LoggerMessage(3012, LogLevel.Warning, "{Partition}: completing a clean interrupted by a crash: renaming {File} to its final name")]
    public static partial void SwapCompleted(ILogger logger, TopicPartition partition, string file);
}
