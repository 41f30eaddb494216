using System.Diagnostics;
using AkkaLog.Storage.Internal;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Opens (or creates) the log in <paramref name="directory"/>. Stray <c>.deleted</c>, <c>.cleaned</c>,
    /// <c>.swap</c> and <c>.tmp</c> files and index files without a log are deleted first. Segments before
    /// <paramref name="recoveryPoint"/> keep their indexes unless those are missing or fail the sanity check
    /// (then they are rebuilt). Without <paramref name="hadCleanShutdown"/>, every segment from the one
    /// holding the recovery point on is recovered: each batch is validated, the first torn or corrupt batch
    /// and everything after it in the segment are cut, later segments are deleted, indexes are rebuilt, and
    /// the result is fsynced. Offsets continue right after the last valid batch.
    /// <paramref name="logStartOffset"/> comes from the log dir's <c>log-start-offset-checkpoint</c>.
    /// </summary>
    public static PartitionLog Open(string directory, TopicPartition topicPartition, LogConfig config, TimeProvider time,
        ILogger logger, long recoveryPoint, bool hadCleanShutdown, long logStartOffset = 0)
    {
        var stopwatch = Stopwatch.StartNew();
        System.IO.Directory.CreateDirectory(directory);
        long nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var baseOffsets = ScanDirectory(directory, topicPartition, logger);

        var segments = new List<LogSegment>(baseOffsets.Count + 1);
        int recovered = 0;
        try
        {
            for (int i = 0; i < baseOffsets.Count; i++)
            {
                long segmentEnd = i + 1 < baseOffsets.Count ? baseOffsets[i + 1] : long.MaxValue;
                bool recover = !hadCleanShutdown && segmentEnd > recoveryPoint;
                var segment = LogSegment.Open(directory, baseOffsets[i], config, nowMs, recover, out long truncated);
                segments.Add(segment);
                if (recover) recovered++;
                if (truncated == 0) continue;
                StorageLog.SegmentTruncated(logger, topicPartition, segment.BaseOffset, truncated, segment.NextOffset);
                if (!recover) continue;
                for (int later = i + 1; later < baseOffsets.Count; later++)
                {
                    StorageLog.SegmentAfterCorruptionDeleted(logger, topicPartition, baseOffsets[later]);
                    foreach (var suffix in (ReadOnlySpan<string>)[LogFileNames.LogSuffix, LogFileNames.IndexSuffix, LogFileNames.TimeIndexSuffix])
                        File.Delete(LogFileNames.PathOf(directory, baseOffsets[later], suffix));
                }
                break;
            }
            if (segments.Count == 0) segments.Add(LogSegment.Create(directory, Math.Max(logStartOffset, 0), config, nowMs));
        }
        catch
        {
            foreach (var segment in segments) segment.Dispose();
            throw;
        }

        long logEndOffset = segments[^1].NextOffset;
        long start = Math.Min(Math.Max(logStartOffset, segments[0].BaseOffset), logEndOffset);
        var epochs = LeaderEpochCache.Open(directory);
        epochs.TruncateFromEnd(logEndOffset);
        epochs.TruncateFromStart(start);
        var log = new PartitionLog(directory, topicPartition, config, time, logger, [.. segments], epochs, start);
        if (!hadCleanShutdown) log.Flush();
        StorageLog.LogLoaded(logger, topicPartition, segments.Count, start, logEndOffset, recovered, stopwatch.ElapsedMilliseconds);
        return log;
    }

    // Deletes leftovers and returns the base offsets of the segments, sorted.
    private static List<long> ScanDirectory(string directory, TopicPartition topicPartition, ILogger logger)
    {
        var baseOffsets = new List<long>();
        var indexFiles = new List<(string Path, long BaseOffset)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(LogFileNames.DeletedSuffix, StringComparison.Ordinal)
                || name.EndsWith(LogFileNames.CleanedSuffix, StringComparison.Ordinal)
                || name.EndsWith(LogFileNames.SwapSuffix, StringComparison.Ordinal)
                || name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                StorageLog.StrayFileDeleted(logger, topicPartition, name);
                File.Delete(path);
            }
            else if (LogFileNames.TryParseBaseOffset(name, LogFileNames.LogSuffix, out long baseOffset))
                baseOffsets.Add(baseOffset);
            else if (LogFileNames.TryParseBaseOffset(name, LogFileNames.IndexSuffix, out baseOffset)
                     || LogFileNames.TryParseBaseOffset(name, LogFileNames.TimeIndexSuffix, out baseOffset))
                indexFiles.Add((path, baseOffset));
        }
        baseOffsets.Sort();
        foreach (var (path, baseOffset) in indexFiles)
        {
            if (baseOffsets.BinarySearch(baseOffset) >= 0) continue;
            StorageLog.StrayFileDeleted(logger, topicPartition, Path.GetFileName(path));
            File.Delete(path);
        }
        return baseOffsets;
    }
}
