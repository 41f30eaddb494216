using System.Buffers.Binary;
using System.Text;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Protocol.Tests.Records;

public class RecordBatchRoundTripTests
{
    private static readonly RecordBatchLimits ProducerLimits = new() { FromProducer = true, ValidateRecords = true, MaxBatchBytes = 1 << 20 };

    [Fact]
    public void Batch_built_in_place_is_the_same_bytes_as_a_copied_one_and_validates()
    {
        // Small initial capacity, so appending grows the buffer and must keep the header's room.
        using var builder = new RecordBatchBuilder(CompressionCodec.None, initialCapacity: 64);
        for (int i = 0; i < 300; i++) builder.Append(5_000 + i, Encoding.UTF8.GetBytes($"k{i}"), Encoding.UTF8.GetBytes(new string('v', i)));
        byte[] copied = builder.ToArray(producerId: 7, producerEpoch: 1, baseSequence: 40);
        var inPlace = builder.BuildInPlace(producerId: 7, producerEpoch: 1, baseSequence: 40);

        Assert.Equal(copied, inPlace.ToArray());
        Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(inPlace.Span, ProducerLimits, out var header));
        Assert.Equal(300, header.RecordsCount);
        Assert.Equal(40, header.BaseSequence);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(3, 1500)]
    [InlineData(40, 1024)]
    [InlineData(300, 1024)]
    public void The_running_records_crc_gives_the_same_batch_crc_as_reading_the_whole_batch(int records, int valueSize)
    {
        // The builder CRCs records as they are appended and combines that with the header's CRC at the end;
        // the result must be what a reader computes over the finished batch.
        using var builder = new RecordBatchBuilder(CompressionCodec.None, 1 << 20);
        var random = new Random(records);
        for (int i = 0; i < records; i++)
        {
            var value = new byte[valueSize + i % 7];
            random.NextBytes(value);
            builder.Append(1_700_000_000_000 + i, [(byte)i], false, value, false);
        }
        var batch = builder.BuildInPlace(producerId: 42, producerEpoch: 3, baseSequence: 7).ToArray();
        Assert.Equal(RecordBatchHeader.ComputeCrc(batch), RecordBatchHeader.Read(batch).Crc);
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcAt)), RecordBatchHeader.ComputeCrc(batch));
        Assert.Equal(Crc32C.Compute(batch.AsSpan(RecordBatchHeader.Size)), builder.RecordsCrc);
    }

    [Fact]
    public void Producer_fields_can_be_restamped_and_the_batch_still_validates()
    {
        using var builder = new RecordBatchBuilder(CompressionCodec.None);
        builder.Append(1, "k"u8, "v"u8);
        byte[] batch = builder.ToArray(producerId: 5, producerEpoch: 0, baseSequence: 9);
        RecordBatchHeader.SetProducer(batch, 5, 1, 0);
        Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(batch, ProducerLimits, out var header));
        Assert.Equal((5L, (short)1, 0), (header.ProducerId, header.ProducerEpoch, header.BaseSequence));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(-1, 1, 0)]
    [InlineData(int.MaxValue, 1, 0)]
    [InlineData(int.MaxValue - 2, 5, 2)]
    public void Sequences_wrap_after_int_max(int sequence, int by, int expected) =>
        Assert.Equal(expected, RecordBatchHeader.IncrementSequence(sequence, by));

    [Fact]
    public void A_compressed_batch_cannot_be_built_in_place()
    {
        using var builder = new RecordBatchBuilder(CompressionCodec.Gzip);
        builder.Append(1, "k"u8, "v"u8);
        Assert.Throws<InvalidOperationException>(() => builder.BuildInPlace());
    }

    [Theory]
    [InlineData(CompressionCodec.None)]
    [InlineData(CompressionCodec.Gzip)]
    [InlineData(CompressionCodec.Snappy)]
    [InlineData(CompressionCodec.Lz4)]
    [InlineData(CompressionCodec.Zstd)]
    public void Built_batch_validates_and_reads_back_every_field(CompressionCodec codec)
    {
        using var builder = new RecordBatchBuilder(codec);
        builder.Append(1_000, "k0"u8, false, "v0"u8, false, [new RecordHeader(Encoding.UTF8.GetBytes("h"), [1, 2])]);
        builder.Append(1_005, default, true, "v1"u8, false);           // null key
        builder.Append(999, ""u8, false, default, true);                // empty key, tombstone
        for (int i = 3; i < 200; i++) builder.Append(1_000 + i, Encoding.UTF8.GetBytes($"key-{i}"), Encoding.UTF8.GetBytes(new string('x', i)));
        byte[] batch = builder.ToArray();

        Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(batch, ProducerLimits, out var header));
        Assert.Equal(batch.Length, header.TotalSize);
        Assert.Equal(200, header.RecordsCount);
        Assert.Equal(199, header.LastOffsetDelta);
        Assert.Equal(1_000, header.BaseTimestamp);
        Assert.Equal(1_199, header.MaxTimestamp);
        Assert.Equal(codec, header.Compression);
        Assert.Equal(-1, header.ProducerId);

        var records = Decompress(batch, header);
        var reader = new RecordReader(records);
        Assert.True(reader.TryReadNext(out var r0));
        Assert.Equal("k0"u8.ToArray(), r0.Key.ToArray());
        Assert.Equal(1, r0.HeaderCount);
        var headers = new RecordHeaderReader(r0.Headers);
        Assert.True(headers.TryReadNext(out var hk, out var hv, out bool hvNull));
        Assert.Equal("h"u8.ToArray(), hk.ToArray());
        Assert.Equal(new byte[] { 1, 2 }, hv.ToArray());
        Assert.False(hvNull);
        Assert.True(reader.TryReadNext(out var r1));
        Assert.True(r1.KeyIsNull);
        Assert.Equal(5, r1.TimestampDelta);
        Assert.True(reader.TryReadNext(out var r2));
        Assert.False(r2.KeyIsNull);
        Assert.Equal(0, r2.Key.Length);
        Assert.True(r2.ValueIsNull);
        Assert.Equal(-1, r2.TimestampDelta);
        int count = 3;
        while (reader.TryReadNext(out var r))
        {
            Assert.Equal(count, r.OffsetDelta);
            Assert.Equal($"key-{count}", Encoding.UTF8.GetString(r.Key));
            count++;
        }
        Assert.False(reader.IsCorrupt);
        Assert.Equal(200, count);
    }

    private static byte[] Decompress(byte[] batch, RecordBatchHeader header)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        Compression.CompressionCodecs.Decompress(header.Compression, batch.AsSpan(RecordBatchHeader.Size), output);
        return output.WrittenSpan.ToArray();
    }

    [Fact]
    public void Stamping_offsets_and_epochs_keeps_the_crc_valid()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, "a"u8, "b"u8);
        byte[] batch = builder.ToArray();
        RecordBatchHeader.SetBaseOffset(batch, 123_456);
        RecordBatchHeader.SetPartitionLeaderEpoch(batch, 9);
        Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(batch, ProducerLimits, out var header));
        Assert.Equal(123_456, header.BaseOffset);
        Assert.Equal(9, header.PartitionLeaderEpoch);
    }

    [Fact]
    public void Log_append_time_rewrites_max_timestamp_and_crc()
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1, "a"u8, "b"u8);
        byte[] batch = builder.ToArray();
        RecordBatchHeader.SetLogAppendTime(batch, 777);
        var limits = ProducerLimits with { FromProducer = false };
        Assert.Equal(BatchValidationError.None, RecordBatchValidator.ValidateBatch(batch, limits, out var header));
        Assert.Equal(TimestampType.LogAppendTime, header.TimestampType);
        Assert.Equal(777, header.MaxTimestamp);
        // a producer may not send such a batch
        Assert.Equal(BatchValidationError.InvalidAttributes, RecordBatchValidator.ValidateBatch(batch, ProducerLimits, out _));
    }
}
