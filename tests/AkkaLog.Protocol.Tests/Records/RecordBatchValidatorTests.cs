using System.Buffers.Binary;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Protocol.Tests.Records;

public class RecordBatchValidatorTests
{
    private static readonly RecordBatchLimits Limits = new() { FromProducer = true, ValidateRecords = true, MaxBatchBytes = 10_000 };

    private static byte[] Batch(int records = 3, int valueSize = 10, CompressionCodec codec = CompressionCodec.None)
    {
        using var builder = new RecordBatchBuilder(codec);
        for (int i = 0; i < records; i++) builder.Append(i, new byte[] { (byte)i }, new byte[valueSize]);
        return builder.ToArray();
    }

    private static BatchValidationError Validate(byte[] batch, RecordBatchLimits? limits = null) =>
        RecordBatchValidator.ValidateBatch(batch, limits ?? Limits, out _);

    [Fact]
    public void Flipped_payload_byte_is_a_crc_error()
    {
        var batch = Batch();
        batch[^3] ^= 0x40;
        Assert.Equal(BatchValidationError.CorruptCrc, Validate(batch));
    }

    [Fact]
    public void Truncated_batch_is_detected()
    {
        var batch = Batch();
        Assert.Equal(BatchValidationError.Truncated, Validate(batch[..^1]));
        Assert.Equal(BatchValidationError.Truncated, Validate(batch[..20]));
    }

    [Fact]
    public void Old_magic_is_refused()
    {
        var batch = Batch();
        batch[RecordBatchHeader.MagicAt] = 1;
        Assert.Equal(BatchValidationError.UnsupportedMagic, Validate(batch));
    }

    [Fact]
    public void Oversized_batch_is_too_large() =>
        Assert.Equal(BatchValidationError.TooLarge, Validate(Batch(records: 3, valueSize: 5_000)));

    [Fact]
    public void Unknown_codec_is_refused()
    {
        var batch = Batch();
        batch[RecordBatchHeader.AttributesAt + 1] |= 0x7; // codec 7
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcAt), RecordBatchHeader.ComputeCrc(batch));
        Assert.Equal(BatchValidationError.UnsupportedCompression, Validate(batch));
    }

    [Fact]
    public void Record_count_must_match_last_offset_delta()
    {
        var batch = Batch();
        BinaryPrimitives.WriteInt32BigEndian(batch.AsSpan(RecordBatchHeader.RecordsCountAt), 5);
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcAt), RecordBatchHeader.ComputeCrc(batch));
        Assert.Equal(BatchValidationError.InvalidRecordCount, Validate(batch));
    }

    [Fact]
    public void Garbage_records_with_a_valid_crc_are_corrupt()
    {
        var batch = Batch();
        batch[RecordBatchHeader.Size] = 0x7F; // first record's length now runs past the end
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcAt), RecordBatchHeader.ComputeCrc(batch));
        Assert.Equal(BatchValidationError.CorruptRecords, Validate(batch));
        Assert.Equal(BatchValidationError.None, Validate(batch, Limits with { ValidateRecords = false }));
    }

    [Fact]
    public void Corrupt_compressed_payload_is_detected()
    {
        var batch = Batch(codec: CompressionCodec.Lz4);
        for (int i = RecordBatchHeader.Size + 8; i < batch.Length; i++) batch[i] = 0xAB;
        BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcAt), RecordBatchHeader.ComputeCrc(batch));
        Assert.Equal(BatchValidationError.CorruptRecords, Validate(batch));
    }

    [Fact]
    public void Compacted_topics_require_keys()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, default, true, "v"u8, false);
        Assert.Equal(BatchValidationError.MissingKey, Validate(builder.ToArray(), Limits with { RequireKeys = true }));
    }
}
