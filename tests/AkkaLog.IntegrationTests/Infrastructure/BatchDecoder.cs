using System.Buffers;
using System.Text;
using AkkaLog.Protocol.Compression;
using AkkaLog.Protocol.Records;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>
/// Splits the records field of a fetch response into v2 batches, validates each one (framing, CRC-32C,
/// record encoding) and decodes its records. A batch cut short at the end of the field is reported as
/// <see cref="Result.TrailingBytes"/>; the broker may send one when it hits a size limit.
/// </summary>
public static class BatchDecoder
{
    /// <summary>What one records field held.</summary>
    public sealed class Result
    {
        /// <summary>Whole batches, in order, with their validation outcome.</summary>
        public List<(RecordBatchHeader Header, BatchValidationError Error)> Batches { get; } = [];
        /// <summary>Records of the valid batches.</summary>
        public List<DecodedRecord> Records { get; } = [];
        /// <summary>Bytes after the last whole batch.</summary>
        public int TrailingBytes { get; set; }
        /// <summary>Descriptions of batches that failed validation.</summary>
        public IEnumerable<string> Invalid =>
            Batches.Where(b => b.Error != BatchValidationError.None).Select(b => $"batch at offset {b.Header.BaseOffset}: {b.Error}");
    }

    /// <summary>Decodes <paramref name="records"/> (null or empty gives an empty result).</summary>
    public static Result Decode(ReadOnlyMemory<byte>? records)
    {
        var result = new Result();
        ReadOnlySpan<byte> data = records.HasValue ? records.Value.Span : default;
        var limits = new RecordBatchLimits { ValidateRecords = true, FromProducer = false };
        while (data.Length > 0)
        {
            if (data.Length < RecordBatchHeader.Size) { result.TrailingBytes = data.Length; break; }
            var (_, batchLength) = RecordBatchHeader.ReadLogEntryPrefix(data);
            if (batchLength < 0 || (long)batchLength + RecordBatchHeader.LogOverhead > data.Length)
            {
                result.TrailingBytes = data.Length;
                break;
            }
            var error = RecordBatchValidator.ValidateBatch(data, limits, out var header);
            if (error != BatchValidationError.None && header.BatchLength == 0) header = RecordBatchHeader.Read(data);
            result.Batches.Add((header, error));
            if (error != BatchValidationError.None) break; // its length cannot be trusted either
            DecodeRecords(data[..header.TotalSize], header, result.Records);
            data = data[header.TotalSize..];
        }
        return result;
    }

    private static void DecodeRecords(ReadOnlySpan<byte> batch, in RecordBatchHeader header, List<DecodedRecord> into)
    {
        ReadOnlySpan<byte> section = batch[RecordBatchHeader.Size..];
        if (header.Compression != CompressionCodec.None)
        {
            var buffer = new ArrayBufferWriter<byte>(section.Length * 4 + 64);
            CompressionCodecs.Decompress(header.Compression, section, buffer);
            section = buffer.WrittenSpan;
        }
        var reader = new RecordReader(section);
        while (reader.TryReadNext(out var record))
        {
            var headers = new List<KeyValuePair<string, byte[]?>>();
            var headerReader = new RecordHeaderReader(record.Headers);
            for (int i = 0; i < record.HeaderCount && headerReader.TryReadNext(out var k, out var v, out bool vNull); i++)
                headers.Add(new(Encoding.UTF8.GetString(k), vNull ? null : v.ToArray()));
            long timestamp = header.TimestampType == TimestampType.LogAppendTime
                ? header.MaxTimestamp
                : header.BaseTimestamp + record.TimestampDelta;
            into.Add(new DecodedRecord(header.BaseOffset + record.OffsetDelta, timestamp,
                record.KeyIsNull ? null : record.Key.ToArray(), record.ValueIsNull ? null : record.Value.ToArray(), headers));
        }
    }
}
