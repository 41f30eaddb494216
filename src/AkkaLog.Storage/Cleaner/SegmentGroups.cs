namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// Kafka's <c>groupSegmentsBySize</c>: consecutive segments are cleaned into one output segment while their
/// combined size stays within <see cref="LogConfig.SegmentBytes"/>, their combined index sizes within
/// <see cref="LogConfig.MaxIndexSizeBytes"/>, and their offsets within 32 bits of the first base offset (the
/// indexes store relative offsets). Sizes before cleaning are used, so the output always fits. This is what
/// makes a compacted log end up with fewer, fuller files.
/// </summary>
internal static class SegmentGroups
{
    /// <summary>
    /// Groups <c>segments[0..count)</c>; <paramref name="segments"/> must go on past <paramref name="count"/> (the
    /// active segment at least), since a segment's offset range ends where the next one begins.
    /// </summary>
    public static List<LogSegment[]> BySize(LogSegment[] segments, int count, int maxSize, int maxIndexSize)
    {
        if (count >= segments.Length) throw new ArgumentOutOfRangeException(nameof(count), count, "the active segment is never cleaned");
        var groups = new List<LogSegment[]>();
        for (int i = 0; i < count;)
        {
            int first = i;
            long size = 0, offsetIndexBytes = 0, timeIndexBytes = 0;
            do
            {
                size += segments[i].Size;
                offsetIndexBytes += (long)segments[i].OffsetIndex.Count * OffsetIndex.EntrySize;
                timeIndexBytes += (long)segments[i].TimeIndex.Count * TimeIndex.EntrySize;
                i++;
            }
            while (i < count
                && size + segments[i].Size <= maxSize
                && offsetIndexBytes + (long)segments[i].OffsetIndex.Count * OffsetIndex.EntrySize <= maxIndexSize
                && timeIndexBytes + (long)segments[i].TimeIndex.Count * TimeIndex.EntrySize <= maxIndexSize
                && segments[i + 1].BaseOffset - 1 - segments[first].BaseOffset <= int.MaxValue);
            groups.Add(segments[first..i]);
        }
        return groups;
    }
}
