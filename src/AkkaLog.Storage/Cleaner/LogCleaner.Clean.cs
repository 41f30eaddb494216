using AkkaLog.Protocol.Records;
using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage.Cleaner;

// One log's clean: build the offset map, rewrite the segments group by group, swap each group in.
public sealed partial class LogCleaner
{
    // Returns true when every group was swapped in, false when the log refused a swap (it changed meanwhile).
    private bool CleanLog(CleanableRange range, long truncationStamp, PassProgress progress, CancellationToken cancellationToken)
    {
        var log = range.Log;
        var config = log.Config;
        var map = _map ??= new OffsetMap(Config.DedupeBufferSize, Config.DedupeBufferLoadFactor);
        map.Clear();
        _filter.ResetCounters();
        progress.EndOffset = BuildOffsetMap(range, map, cancellationToken);

        long deleteHorizonMs = NowMs - config.DeleteRetentionMs;
        var segments = range.Segments;
        int count = 0;
        while (count < segments.Length - 1 && segments[count].BaseOffset < progress.EndOffset) count++;
        foreach (var group in SegmentGroups.BySize(segments, count, config.SegmentBytes, config.MaxIndexSizeBytes))
        {
            var cleaned = CleanGroup(log, group, map, progress.EndOffset, range.FirstDirtyOffset, deleteHorizonMs, cancellationToken);
            bool swapped;
            try
            {
                OnStage?.Invoke(CleanerStage.CleanedFilesWritten, log);
                swapped = log.ReplaceSegments(group, cleaned, truncationStamp, stage => OnStage?.Invoke(stage, log));
            }
            catch
            {
                if (Array.IndexOf(log.SegmentArray, cleaned) < 0) cleaned.Delete();
                // Swapped in but not renamed: only a restart may finish it (see PartitionLog.Open), so stop cleaning this log.
                else lock (_uncleanable) _uncleanable.Add(log.TopicPartition);
                throw;
            }
            progress.CountRecords(_filter);
            if (!swapped)
            {
                cleaned.Delete();
                return false;
            }
            progress.Add(group, cleaned);
        }
        return true;
    }

    // Maps key hash to latest offset over the dirty section; returns the offset the map reaches (exclusive).
    private long BuildOffsetMap(CleanableRange range, OffsetMap map, CancellationToken cancellationToken)
    {
        long firstDirty = range.FirstDirtyOffset, firstUncleanable = range.FirstUncleanableOffset;
        long mappedTo = firstDirty;
        var segments = range.Segments;
        for (int i = 0; i < segments.Length - 1 && segments[i].BaseOffset < firstUncleanable; i++)
        {
            var segment = segments[i];
            if (segments[i + 1].BaseOffset <= firstDirty) continue;
            long start = segment.BaseOffset >= firstDirty ? 0 : segment.TranslateOffset(firstDirty, out _);
            if (start < 0) continue;
            _reader.Start(segment, start, segment.Size);
            while (_reader.TryNext(out var header, out var batch, cancellationToken))
            {
                ThrowIfStopping(range.Log, cancellationToken);
                if (!header.IsControl)
                {
                    if (!map.HasRoomFor(header.RecordsCount))
                    {
                        if (mappedTo == firstDirty)
                            throw new InvalidOperationException($"log.cleaner.dedupe.buffer.size holds {map.MaxEntries} keys, "
                                + $"too few for a batch of {header.RecordsCount} records at offset {header.BaseOffset}");
                        return mappedTo;
                    }
                    var reader = new RecordReader(_filter.Records(batch, header));
                    while (reader.TryReadNext(out var record))
                    {
                        long offset = header.BaseOffset + record.OffsetDelta;
                        if (!record.KeyIsNull && offset >= firstDirty) map.Put(record.Key, offset);
                    }
                    if (reader.IsCorrupt || !reader.AtEnd)
                        throw new InvalidDataException($"batch at offset {header.BaseOffset}: records do not parse");
                }
                mappedTo = header.NextOffset;
            }
        }
        return firstUncleanable;
    }

    // Writes the retained records of a group of segments into one new segment named .cleaned, fsynced.
    private LogSegment CleanGroup(PartitionLog log, LogSegment[] group, OffsetMap map, long mapEnd, long firstDirty,
        long deleteHorizonMs, CancellationToken cancellationToken)
    {
        var cleaned = LogSegment.Create(log.Directory, group[0].BaseOffset, log.Config, NowMs, LogFileNames.CleanedSuffix);
        try
        {
            long lastModified = 0;
            _output.Reset();
            foreach (var source in group)
            {
                var rule = new RetentionRule(map, mapEnd, firstDirty, tombstonesExpired: source.LargestTimestamp < deleteHorizonMs);
                lastModified = Math.Max(lastModified, source.LastModifiedMs);
                _reader.Start(source, 0, source.Size);
                while (_reader.TryNext(out var header, out var batch, cancellationToken))
                {
                    ThrowIfStopping(log, cancellationToken);
                    _filter.Filter(batch, header, rule, _output);
                    if (_output.WrittenCount >= Config.IoBufferSize) WriteOutput(cleaned, cancellationToken);
                }
            }
            WriteOutput(cleaned, cancellationToken);
            cleaned.OnBecomeInactive();
            cleaned.Flush();
            if (lastModified > 0) cleaned.SetLastModified(lastModified);
            return cleaned;
        }
        catch
        {
            cleaned.Delete();
            throw;
        }
    }

    private void WriteOutput(LogSegment cleaned, CancellationToken cancellationToken)
    {
        if (_output.WrittenCount == 0) return;
        cleaned.Append(_output.WrittenSpan);
        _throttler.MaybeThrottle(_output.WrittenCount, cancellationToken);
        _output.Reset();
    }

    private static void ThrowIfStopping(PartitionLog log, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (log.CloseRequested) throw new LogCleaningAbortedException(log.TopicPartition, "the log is closing");
    }

    // Counts of one pass, turned into the result at the end whatever the outcome.
    private sealed class PassProgress(CleanableRange range)
    {
        public long EndOffset { get; set; } = range.FirstDirtyOffset;
        public long BytesBefore { get; private set; }
        public long BytesAfter { get; private set; }
        public int SegmentsBefore { get; private set; }
        public int SegmentsAfter { get; private set; }
        public long RecordsRead { get; private set; }
        public long RecordsRemoved { get; private set; }

        public void Add(LogSegment[] group, LogSegment cleaned)
        {
            foreach (var segment in group) BytesBefore += segment.Size;
            SegmentsBefore += group.Length;
            BytesAfter += cleaned.Size;
            SegmentsAfter++;
        }

        public void CountRecords(BatchFilter filter) => (RecordsRead, RecordsRemoved) = (filter.RecordsRead, filter.RecordsRemoved);

        public CleanerPassResult ToResult(CleanerPassOutcome outcome, double dirtyRatio, TimeSpan duration) =>
            new(range.Log, outcome, dirtyRatio, range.FirstDirtyOffset, EndOffset, BytesBefore, BytesAfter, SegmentsBefore,
                SegmentsAfter, RecordsRead, RecordsRemoved, duration);
    }
}
