using System.Buffers;
using AkkaLog.Protocol.Compression;

namespace AkkaLog.Protocol.Records;

/// <summary>
/// Checks record batches before they are appended: framing, magic, CRC-32C, codec, record count,
/// size limit and, unless disabled, the record encoding itself (decompressing if needed). Used by
/// the produce path and by log recovery (which passes <c>fromProducer: false</c>).
/// </summary>
public static class RecordBatchValidator
{
    /// <summary>
    /// Validates one batch at the start of <paramref name="data"/>. On success <paramref name="header"/>
    /// holds its header and the batch is <c>header.TotalSize</c> bytes long.
    /// </summary>
    public static BatchValidationError ValidateBatch(ReadOnlySpan<byte> data, in RecordBatchLimits limits,
        out RecordBatchHeader header)
    {
        header = default;
        if (data.Length < RecordBatchHeader.LogOverhead + 5) return BatchValidationError.Truncated;
        var (_, batchLength) = RecordBatchHeader.ReadLogEntryPrefix(data);
        if (data[RecordBatchHeader.MagicAt] != RecordBatchHeader.CurrentMagic) return BatchValidationError.UnsupportedMagic;
        if (batchLength < RecordBatchHeader.Size - RecordBatchHeader.LogOverhead || batchLength > data.Length - RecordBatchHeader.LogOverhead)
            return BatchValidationError.Truncated;
        var batch = data[..(batchLength + RecordBatchHeader.LogOverhead)];
        header = RecordBatchHeader.Read(batch);
        if (header.Crc != RecordBatchHeader.ComputeCrc(batch)) return BatchValidationError.CorruptCrc;
        if (limits.MaxBatchBytes > 0 && batch.Length > limits.MaxBatchBytes) return BatchValidationError.TooLarge;
        if (!CompressionCodecs.IsKnown(header.Compression)) return BatchValidationError.UnsupportedCompression;
        if (limits.FromProducer && (header.IsControl || header.TimestampType == TimestampType.LogAppendTime))
            return BatchValidationError.InvalidAttributes;
        if (header.RecordsCount <= 0 || header.LastOffsetDelta != header.RecordsCount - 1)
            return limits.FromProducer || header.RecordsCount < 0 ? BatchValidationError.InvalidRecordCount : BatchValidationError.None;
        if (!limits.ValidateRecords) return BatchValidationError.None;
        return ValidateRecords(batch[RecordBatchHeader.Size..], header, limits.RequireKeys);
    }

    /// <summary>Checks that the records section parses into exactly <c>RecordsCount</c> records.</summary>
    public static BatchValidationError ValidateRecords(ReadOnlySpan<byte> records, in RecordBatchHeader header, bool requireKeys)
    {
        if (header.Compression == CompressionCodec.None)
            return CountRecords(records, header.RecordsCount, requireKeys);
        var buffer = new ArrayBufferWriter<byte>(Math.Max(records.Length * 4, 1024));
        try
        {
            CompressionCodecs.Decompress(header.Compression, records, buffer);
        }
        catch (InvalidDataException)
        {
            return BatchValidationError.CorruptRecords;
        }
        catch (DllNotFoundException)
        {
            return BatchValidationError.UnsupportedCompression;
        }
        return CountRecords(buffer.WrittenSpan, header.RecordsCount, requireKeys);
    }

    private static BatchValidationError CountRecords(ReadOnlySpan<byte> records, int expected, bool requireKeys)
    {
        var reader = new RecordReader(records);
        int count = 0;
        while (reader.TryReadNext(out var record))
        {
            if (requireKeys && record.KeyIsNull) return BatchValidationError.MissingKey;
            count++;
        }
        return reader.IsCorrupt || !reader.AtEnd || count != expected ? BatchValidationError.CorruptRecords : BatchValidationError.None;
    }
}
