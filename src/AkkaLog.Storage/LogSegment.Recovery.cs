using System.Buffers;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

public sealed partial class LogSegment
{
    private const int RecoveryChunkBytes = 1024 * 1024;

    private static readonly RecordBatchLimits RecoveryLimits = new() { FromProducer = false, ValidateRecords = false };

    /// <summary>
    /// Opens an existing segment. With <paramref name="recover"/>, or when an index file is missing or fails
    /// its sanity check, or when the log does not end on a whole batch, the segment is rescanned by
    /// <see cref="Recover"/>; <paramref name="truncatedBytes"/> then tells how much torn or corrupt tail it cut.
    /// Otherwise the indexes are trusted and only the batches after the last offset index entry are walked
    /// to learn the next offset and largest timestamp.
    /// </summary>
    public static LogSegment Open(string directory, long baseOffset, LogConfig config, long nowMs, bool recover,
        out long truncatedBytes)
    {
        var log = FileIo.OpenShared(LogFileNames.PathOf(directory, baseOffset, LogFileNames.LogSuffix), FileMode.Open);
        long logSize = RandomAccess.GetLength(log);
        string indexPath = LogFileNames.PathOf(directory, baseOffset, LogFileNames.IndexSuffix);
        string timeIndexPath = LogFileNames.PathOf(directory, baseOffset, LogFileNames.TimeIndexSuffix);
        OffsetIndex? offsetIndex = null;
        TimeIndex? timeIndex = null;
        bool indexesLoaded = !recover
            && OffsetIndex.TryLoad(indexPath, baseOffset, config.MaxIndexSizeBytes, logSize, out offsetIndex)
            && TimeIndex.TryLoad(timeIndexPath, baseOffset, config.MaxIndexSizeBytes, out timeIndex);
        if (!indexesLoaded)
        {
            offsetIndex?.Dispose();
            timeIndex?.Dispose();
            offsetIndex = OffsetIndex.Create(indexPath, baseOffset, config.MaxIndexSizeBytes);
            timeIndex = TimeIndex.Create(timeIndexPath, baseOffset, config.MaxIndexSizeBytes);
        }
        var segment = new LogSegment(directory, baseOffset, log, offsetIndex!, timeIndex!, config, nowMs);
        truncatedBytes = 0;
        if (indexesLoaded && segment.LoadTail(logSize)) return segment;
        truncatedBytes = segment.Recover();
        return segment;
    }

    /// <summary>
    /// Rescans the whole .log file: validates each batch (framing, magic, CRC-32C; offsets must not go
    /// backwards nor outgrow 32-bit relative offsets), rebuilds both indexes from scratch and truncates the
    /// file at the first batch that fails. Returns the bytes truncated. Owner only, before the segment is
    /// published to readers.
    /// </summary>
    public long Recover()
    {
        _offsetIndex.Reset();
        _timeIndex.Reset();
        _maxTimestamp = -1;
        _offsetOfMaxTimestamp = BaseOffset;
        _rollingBasedTimestamp = -1;
        _bytesSinceLastIndexEntry = 0;

        long fileLength = RandomAccess.GetLength(_log);
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(RecoveryChunkBytes, Math.Max(fileLength, 64)));
        long bufferStart = 0, position = 0, next = BaseOffset;
        int bufferLength = 0;
        try
        {
            while (position < fileLength)
            {
                int at = (int)(position - bufferStart);
                if (at + RecordBatchHeader.LogOverhead > bufferLength)
                {
                    bufferLength = Refill(buffer, position, fileLength);
                    bufferStart = position;
                    at = 0;
                    if (bufferLength < RecordBatchHeader.LogOverhead) break;
                }
                var (_, batchLength) = RecordBatchHeader.ReadLogEntryPrefix(buffer.AsSpan(at));
                long total = (long)batchLength + RecordBatchHeader.LogOverhead;
                if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead || position + total > fileLength) break;
                if (at + total > bufferLength)
                {
                    if (total > buffer.Length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent((int)total);
                    }
                    bufferLength = Refill(buffer, position, fileLength);
                    bufferStart = position;
                    at = 0;
                    if (bufferLength < total) break;
                }
                var error = RecordBatchValidator.ValidateBatch(buffer.AsSpan(at, (int)total), RecoveryLimits, out var header);
                if (error != BatchValidationError.None || header.BaseOffset < next || header.LastOffset - BaseOffset > int.MaxValue)
                    break;
                IndexBatch(header, position);
                next = header.NextOffset;
                position += total;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        long truncated = fileLength - position;
        if (truncated > 0) RandomAccess.SetLength(_log, position);
        _offsetIndex.WriteOut();
        _timeIndex.WriteOut();
        _dirty = true;
        Volatile.Write(ref _nextOffset, next);
        Volatile.Write(ref _size, position);
        return truncated;

        int Refill(byte[] into, long from, long length) =>
            FileIo.ReadAtLeast(_log, into.AsSpan(0, (int)Math.Min(into.Length, length - from)), from);
    }

    // Learns next offset, max timestamp and the index interval state by walking the batches after the
    // last offset index entry up to end. False if the batches do not end exactly at end.
    private bool LoadTail(long end)
    {
        var (timestamp, timestampOffset) = _timeIndex.LastEntry;
        _maxTimestamp = timestamp;
        _offsetOfMaxTimestamp = timestampOffset;
        _rollingBasedTimestamp = -1;
        var (indexedOffset, start) = _offsetIndex.LastEntry;
        Span<byte> window = stackalloc byte[ScanWindowBytes];
        if (end > 0)
        {
            var first = new BatchWalker(_log, 0, end, window);
            if (!first.TryRead(out var firstHeader, out _)) return false;
            _rollingBasedTimestamp = firstHeader.MaxTimestamp;
        }
        var walker = new BatchWalker(_log, start, end, window);
        long next = BaseOffset;
        while (walker.TryRead(out var header, out _))
        {
            if (header.MaxTimestamp > _maxTimestamp)
            {
                _maxTimestamp = header.MaxTimestamp;
                _offsetOfMaxTimestamp = header.LastOffset;
            }
            next = header.NextOffset;
        }
        if (walker.Position != end || (_offsetIndex.Count > 0 && indexedOffset >= next) || timestampOffset > Math.Max(next - 1, BaseOffset))
            return false;
        _bytesSinceLastIndexEntry = (int)(end - start);
        Volatile.Write(ref _nextOffset, next);
        Volatile.Write(ref _size, end);
        return true;
    }

    private void RescanAfterTruncate(long end)
    {
        if (!LoadTail(end)) Recover();
    }
}
