using System.Buffers;
using System.Buffers.Binary;
using AkkaLog.Protocol.Compression;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Storage.Cleaner;

/// <summary>
/// Which records of a batch survive a clean (Kafka's <c>shouldRetainRecord</c>). A record is kept when it lies
/// at or past <see cref="MapEnd"/> (not deduplicated in this pass), or when its key is not null, no later
/// offset for its key is in the map, and it is not an expired tombstone. Null-key records below
/// <see cref="MapEnd"/> are dropped, as Kafka's cleaner drops them (counted as invalid; compacted topics refuse
/// them at produce). A tombstone expires when it lies below <see cref="FirstDirtyOffset"/> (a previous pass
/// already cleaned it, so consumers had the chance to see it) and its segment's largest timestamp is older
/// than <see cref="LogConfig.DeleteRetentionMs"/>.
/// </summary>
internal readonly ref struct RetentionRule(OffsetMap map, long mapEnd, long firstDirtyOffset, bool tombstonesExpired)
{
    /// <summary>Records from here on were not mapped and stay.</summary>
    public long MapEnd => mapEnd;

    /// <summary>Where this pass's dirty section began.</summary>
    public long FirstDirtyOffset => firstDirtyOffset;

    /// <summary>Whether the record at <paramref name="offset"/> stays.</summary>
    public bool Retain(in Record record, long offset)
    {
        if (offset >= mapEnd) return true;
        if (record.KeyIsNull) return false;
        if (map.Get(record.Key) > offset) return false;
        return !(record.ValueIsNull && tombstonesExpired && offset < firstDirtyOffset);
    }
}

/// <summary>
/// Rewrites one batch for the cleaner: a control batch, a batch past the map, or a batch that keeps every
/// record is copied unchanged; a batch that keeps none is dropped (Kafka would keep an empty batch for the
/// last batch of an idempotent producer; we have no producer state yet); otherwise a new batch is written
/// with the same header (baseOffset, lastOffsetDelta, partitionLeaderEpoch, attributes, baseTimestamp,
/// producer id/epoch, baseSequence), the retained records' bytes unchanged (so their offset and timestamp
/// deltas stay valid), recordsCount and (for CreateTime) maxTimestamp recomputed, the records compressed
/// again with the batch's codec, and a new CRC. Buffers are reused; nothing is allocated per record.
/// </summary>
internal sealed class BatchFilter : IDisposable
{
    private readonly PooledBufferWriter _decompressed = new(64 * 1024);
    private readonly PooledBufferWriter _retained = new(64 * 1024);

    /// <summary>Records examined by <see cref="Filter"/>.</summary>
    public long RecordsRead { get; private set; }

    /// <summary>Records <see cref="Filter"/> dropped.</summary>
    public long RecordsRemoved { get; private set; }

    /// <summary>Zeroes the counters.</summary>
    public void ResetCounters() => (RecordsRead, RecordsRemoved) = (0, 0);

    /// <summary>The batch's records section, decompressed into a reused buffer if needed; valid until the next call.</summary>
    public ReadOnlySpan<byte> Records(ReadOnlySpan<byte> batch, in RecordBatchHeader header)
    {
        var section = batch[RecordBatchHeader.Size..];
        if (header.Compression == CompressionCodec.None) return section;
        _decompressed.Reset();
        CompressionCodecs.Decompress(header.Compression, section, _decompressed);
        return _decompressed.WrittenSpan;
    }

    /// <summary>Writes what remains of <paramref name="batch"/> to <paramref name="output"/> (possibly nothing).</summary>
    public void Filter(ReadOnlySpan<byte> batch, in RecordBatchHeader header, in RetentionRule rule, PooledBufferWriter output)
    {
        if (header.IsControl || header.BaseOffset >= rule.MapEnd)
        {
            output.Write(batch);
            return;
        }
        var records = Records(batch, header);
        _retained.Reset();
        var reader = new RecordReader(records);
        int seen = 0, kept = 0, start = 0;
        long maxTimestamp = -1;
        while (reader.TryReadNext(out var record))
        {
            seen++;
            if (rule.Retain(record, header.BaseOffset + record.OffsetDelta))
            {
                kept++;
                _retained.Write(records[start..reader.Position]);
                maxTimestamp = Math.Max(maxTimestamp, header.BaseTimestamp + record.TimestampDelta);
            }
            start = reader.Position;
        }
        if (reader.IsCorrupt || !reader.AtEnd || seen != header.RecordsCount)
            throw new InvalidDataException($"batch at offset {header.BaseOffset}: records do not parse into {header.RecordsCount} records");
        RecordsRead += seen;
        RecordsRemoved += seen - kept;
        if (kept == seen) output.Write(batch);
        else if (kept > 0) WriteRewritten(batch, header, kept, maxTimestamp, output);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _decompressed.Dispose();
        _retained.Dispose();
    }

    private void WriteRewritten(ReadOnlySpan<byte> batch, in RecordBatchHeader header, int kept, long maxTimestamp,
        PooledBufferWriter output)
    {
        int at = output.WrittenCount;
        output.Write(batch[..RecordBatchHeader.Size]);
        CompressionCodecs.Compress(header.Compression, _retained.WrittenSpan, output);
        var rewritten = output.WrittenSpan[at..];
        BinaryPrimitives.WriteInt32BigEndian(rewritten[RecordBatchHeader.BatchLengthAt..], rewritten.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(rewritten[RecordBatchHeader.RecordsCountAt..], kept);
        if (header.TimestampType == TimestampType.CreateTime)
            BinaryPrimitives.WriteInt64BigEndian(rewritten[RecordBatchHeader.MaxTimestampAt..], maxTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(rewritten[RecordBatchHeader.CrcAt..], RecordBatchHeader.ComputeCrc(rewritten));
    }
}
