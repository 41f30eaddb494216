using System.Diagnostics;
using AkkaLog.Storage.Internal;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Storage;

public sealed partial class PartitionLog
{
    /// <summary>
    /// Opens (or creates) the log in <paramref name="directory"/>. Stray <c>.deleted</c>, <c>.cleaned</c> and
    /// <c>.tmp</c> files are deleted first and a clean interrupted by a crash is finished: each
    /// <c>&lt;base&gt;.log.swap</c> replaces the segments whose base offsets fall in the offset range it covers,
    /// then every <c>.swap</c> file takes its final name (Kafka's LogLoader does the same). Index files
    /// without a log are deleted. Segments before
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
        CompleteInterruptedSwaps(directory, topicPartition, logger);
        var baseOffsets = new List<long>();
        var indexFiles = new List<(string Path, long BaseOffset)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (IsStray(name))
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

    private static bool IsStray(string name) =>
        name.EndsWith(LogFileNames.DeletedSuffix, StringComparison.Ordinal)
        || name.EndsWith(LogFileNames.CleanedSuffix, StringComparison.Ordinal)
        || name.EndsWith(".tmp", StringComparison.Ordinal);

    // Crash story of a clean (see ReplaceSegments): .cleaned files are incomplete and go; a .log.swap is
    // complete and fsynced, so it wins over the old segments in its range, whether or not they were already
    // renamed to .deleted. Old segments past the swap's last batch but inside the cleaned group survive; they
    // hold only records the clean dropped as superseded, followed by the records that superseded them, and
    // the next clean (whose checkpoint did not move) drops them again. As in Kafka (KAFKA-6264), a .swap at or
    // above the lowest .cleaned base offset belongs to an operation that had not finished and is deleted; our
    // cleaner never leaves both (a partition whose swap failed half way is not cleaned again before a restart).
    private static void CompleteInterruptedSwaps(string directory, TopicPartition topicPartition, ILogger logger)
    {
        var swaps = new List<(string Path, long BaseOffset)>();
        long minCleaned = long.MaxValue;
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (!LogFileNames.TryParseLeadingBaseOffset(name, out long baseOffset)) continue;
            if (name.EndsWith(LogFileNames.SwapSuffix, StringComparison.Ordinal)) swaps.Add((path, baseOffset));
            else if (name.EndsWith(LogFileNames.CleanedSuffix, StringComparison.Ordinal)) minCleaned = Math.Min(minCleaned, baseOffset);
        }
        var ranges = new List<(long From, long To)>();
        foreach (var (path, baseOffset) in swaps)
        {
            string name = Path.GetFileName(path);
            if (baseOffset >= minCleaned)
            {
                StorageLog.StrayFileDeleted(logger, topicPartition, name);
                File.Delete(path);
            }
            else if (LogFileNames.TryParseBaseOffset(name, LogFileNames.LogSuffix + LogFileNames.SwapSuffix, out _))
                ranges.Add((baseOffset, Math.Max(NextOffsetOf(path, baseOffset), baseOffset + 1)));
        }
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (!IsStray(name)) continue;
            StorageLog.StrayFileDeleted(logger, topicPartition, name);
            File.Delete(path);
        }
        if (swaps.Count == 0) return;
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            string name = Path.GetFileName(path);
            if (name.EndsWith(LogFileNames.SwapSuffix, StringComparison.Ordinal)) continue;
            if ((LogFileNames.TryParseBaseOffset(name, LogFileNames.LogSuffix, out long baseOffset)
                 || LogFileNames.TryParseBaseOffset(name, LogFileNames.IndexSuffix, out baseOffset)
                 || LogFileNames.TryParseBaseOffset(name, LogFileNames.TimeIndexSuffix, out baseOffset))
                && ranges.Exists(range => baseOffset >= range.From && baseOffset < range.To))
            {
                StorageLog.SegmentReplacedBySwap(logger, topicPartition, name);
                File.Delete(path);
            }
        }
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*" + LogFileNames.SwapSuffix))
        {
            StorageLog.SwapCompleted(logger, topicPartition, Path.GetFileName(path));
            File.Move(path, path[..^LogFileNames.SwapSuffix.Length], overwrite: true);
        }
        FileIo.FlushDirectory(directory);
    }

    // Offset after the last whole batch of a segment file (its base offset if it holds none).
    private static long NextOffsetOf(string path, long baseOffset)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        Span<byte> window = stackalloc byte[8 * 1024];
        var walker = new BatchWalker(handle, 0, RandomAccess.GetLength(handle), window);
        long next = baseOffset;
        while (walker.TryRead(out var header, out _)) next = header.NextOffset;
        return next;
    }
}
