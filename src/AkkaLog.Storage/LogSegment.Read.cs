using System.Buffers;
using AkkaLog.Protocol.Compression;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage.Internal;

namespace AkkaLog.Storage;

public sealed partial class LogSegment
{
    private const int ScanWindowBytes = 8 * 1024;

    /// <summary>
    /// File position and header of the first batch whose last offset is at or above <paramref name="offset"/>
    /// (the batch containing it, or the next one after a gap), or -1 if no such batch lies below
    /// <see cref="Size"/>: an offset index floor lookup, then a scan of batch headers. Any thread.
    /// </summary>
    public long TranslateOffset(long offset, out RecordBatchHeader header) => TranslateOffsetBelow(offset, Size, out header);

    /// <summary>
    /// Reads whole batches starting with the one that contains <paramref name="startOffset"/>: at most
    /// <paramref name="maxBytes"/> bytes, except that with <paramref name="minOneBatch"/> the first batch
    /// comes whole whatever its size, and never a batch whose base offset is at or past
    /// <paramref name="maxOffsetExclusive"/>. Returns null when the segment holds nothing at or after
    /// <paramref name="startOffset"/> (the caller moves to the next segment). Any thread.
    /// </summary>
    public LogReadResult? Read(long startOffset, int maxBytes, long maxOffsetExclusive, bool minOneBatch,
        long logStartOffset, long logEndOffset)
    {
        long end = Size;
        long position = TranslateOffsetBelow(startOffset, end, out var first);
        if (position < 0) return null;
        if (first.BaseOffset >= maxOffsetExclusive || (first.TotalSize > maxBytes && !minOneBatch))
            return LogReadResult.Empty(startOffset, logStartOffset, logEndOffset);

        int want = (int)Math.Min(end - position, Math.Max(maxBytes, first.TotalSize));
        byte[] buffer = ArrayPool<byte>.Shared.Rent(want);
        int read = FileIo.ReadAtLeast(_log, buffer.AsSpan(0, want), position);
        int length = 0;
        long nextOffset = startOffset;
        while (length + RecordBatchHeader.Size <= read)
        {
            var header = RecordBatchHeader.Read(buffer.AsSpan(length));
            if (length + header.TotalSize > read || header.BaseOffset >= maxOffsetExclusive) break;
            length += header.TotalSize;
            nextOffset = header.NextOffset;
        }
        return new LogReadResult(LogReadStatus.Ok, buffer, length, first.BaseOffset, nextOffset, logStartOffset, logEndOffset);
    }

    /// <summary>
    /// The first record at or after <paramref name="startingOffset"/> whose timestamp is at or above
    /// <paramref name="timestamp"/>, or null if the segment has none: time index floor lookup, offset
    /// index lookup, a scan for the first batch whose max timestamp qualifies, then its records (decompressed
    /// if needed; a LogAppendTime batch answers with its first record). Any thread.
    /// </summary>
    public TimestampAndOffset? FindOffsetByTimestamp(long timestamp, long startingOffset)
    {
        long end = Size;
        var (_, indexedOffset) = _timeIndex.Lookup(timestamp);
        var (_, start) = _offsetIndex.Lookup(Math.Max(indexedOffset, startingOffset));
        Span<byte> window = stackalloc byte[ScanWindowBytes];
        var walker = new BatchWalker(_log, start, end, window);
        while (walker.TryRead(out var header, out long position))
        {
            if (header.MaxTimestamp < timestamp || header.LastOffset < startingOffset) continue;
            var found = FindInBatch(header, position, timestamp, startingOffset);
            if (found is not null) return found;
        }
        return null;
    }

    private long TranslateOffsetBelow(long offset, long end, out RecordBatchHeader header)
    {
        var (_, start) = _offsetIndex.Lookup(offset);
        Span<byte> window = stackalloc byte[ScanWindowBytes];
        var walker = new BatchWalker(_log, start, end, window);
        while (walker.TryRead(out header, out long position))
        {
            if (header.LastOffset >= offset) return position;
        }
        header = default;
        return -1;
    }

    private TimestampAndOffset? FindInBatch(in RecordBatchHeader header, long position, long timestamp, long startingOffset)
    {
        if (header.TimestampType == TimestampType.LogAppendTime)
            return new TimestampAndOffset(header.MaxTimestamp, Math.Max(header.BaseOffset, startingOffset), header.PartitionLeaderEpoch);

        byte[] batch = ArrayPool<byte>.Shared.Rent(header.TotalSize);
        try
        {
            int read = FileIo.ReadAtLeast(_log, batch.AsSpan(0, header.TotalSize), position);
            if (read < header.TotalSize) return null;
            ReadOnlySpan<byte> records = batch.AsSpan(RecordBatchHeader.Size, header.TotalSize - RecordBatchHeader.Size);
            ArrayBufferWriter<byte>? decompressed = null;
            if (header.Compression != CompressionCodec.None)
            {
                decompressed = new ArrayBufferWriter<byte>(Math.Max(records.Length * 4, 1024));
                CompressionCodecs.Decompress(header.Compression, records, decompressed);
                records = decompressed.WrittenSpan;
            }
            var reader = new RecordReader(records);
            while (reader.TryReadNext(out var record))
            {
                long recordTimestamp = header.BaseTimestamp + record.TimestampDelta;
                long offset = header.BaseOffset + record.OffsetDelta;
                if (recordTimestamp >= timestamp && offset >= startingOffset)
                    return new TimestampAndOffset(recordTimestamp, offset, header.PartitionLeaderEpoch);
            }
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
        }
    }
}
