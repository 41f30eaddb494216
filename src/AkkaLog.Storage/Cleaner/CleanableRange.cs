namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// How dirty a compacted log is (Kafka's <c>LogToClean</c> with <c>cleanableOffsets</c>), from one snapshot of
/// its segments. The dirty section runs from <see cref="FirstDirtyOffset"/> (the cleaner checkpoint, or the
/// log start offset without one or when it is out of range) up to <see cref="FirstUncleanableOffset"/>: the
/// active segment's base offset, or the base offset of the first segment from the dirty section on whose
/// newest record is younger than <see cref="LogConfig.MinCompactionLagMs"/>. Bytes are counted per inactive
/// segment: wholly below the first dirty offset is clean, overlapping the dirty section is cleanable.
/// </summary>
internal sealed record CleanableRange(
    PartitionLog Log,
    LogSegment[] Segments,
    long FirstDirtyOffset,
    long FirstUncleanableOffset,
    long CleanBytes,
    long CleanableBytes,
    bool NeedsCompactionNow)
{
    /// <summary>Cleanable bytes over clean plus cleanable bytes (0 for an empty log).</summary>
    public double DirtyRatio => CleanBytes + CleanableBytes == 0 ? 0 : (double)CleanableBytes / (CleanBytes + CleanableBytes);

    /// <summary>
    /// Worth a pass: something is cleanable and the ratio reaches <see cref="LogConfig.MinCleanableDirtyRatio"/>,
    /// or a dirty segment is older than <see cref="LogConfig.MaxCompactionLagMs"/>.
    /// </summary>
    public bool ShouldClean => CleanableBytes > 0 && (NeedsCompactionNow || DirtyRatio >= Log.Config.MinCleanableDirtyRatio);

    /// <summary>Measures <paramref name="log"/> given its cleaner checkpoint (null if none) at <paramref name="nowMs"/>.</summary>
    public static CleanableRange Compute(PartitionLog log, long? checkpoint, long nowMs)
    {
        var config = log.Config;
        var segments = log.SegmentArray;
        long logStart = log.LogStartOffset;
        long firstDirty = checkpoint ?? logStart;
        if (firstDirty < logStart || firstDirty > log.LogEndOffset) firstDirty = logStart;

        long firstUncleanable = segments[^1].BaseOffset;
        for (int i = 0; i < segments.Length - 1 && config.MinCompactionLagMs > 0; i++)
        {
            if (segments[i + 1].BaseOffset <= firstDirty) continue;
            if (segments[i].LargestTimestamp > nowMs - config.MinCompactionLagMs)
            {
                firstUncleanable = Math.Max(segments[i].BaseOffset, firstDirty);
                break;
            }
        }

        long clean = 0, cleanable = 0, earliestDirtyTimestamp = long.MaxValue;
        for (int i = 0; i < segments.Length - 1; i++)
        {
            var segment = segments[i];
            if (segments[i + 1].BaseOffset <= firstDirty) clean += segment.Size;
            else if (segment.BaseOffset < firstUncleanable && firstDirty < firstUncleanable)
            {
                cleanable += segment.Size;
                long first = segment.FirstBatchTimestamp;
                if (first >= 0) earliestDirtyTimestamp = Math.Min(earliestDirtyTimestamp, first);
            }
        }
        long maxLag = Math.Max(config.MaxCompactionLagMs, 0);
        bool needsNow = maxLag < long.MaxValue && earliestDirtyTimestamp != long.MaxValue && earliestDirtyTimestamp < nowMs - maxLag;
        return new CleanableRange(log, segments, firstDirty, firstUncleanable, clean, cleanable, needsNow);
    }
}
