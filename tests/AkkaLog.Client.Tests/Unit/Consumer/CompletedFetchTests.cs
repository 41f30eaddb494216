using System.Buffers.Binary;
using System.Text;
using AkkaLog.Client.Internal.Consumer;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Tests.Unit.Consumer;

/// <summary>Decoding fetched batches: records below the position, codecs, control and aborted batches, CRC, partial batches.</summary>
public sealed class CompletedFetchTests
{
    private static byte[] Batch(long baseOffset, int count, CompressionCodec codec = CompressionCodec.None, long producerId = -1,
        bool transactional = false, bool control = false)
    {
        using var builder = new RecordBatchBuilder(codec);
        for (int i = 0; i < count; i++)
        {
            if (control) builder.Append(1000, [0, 0, 0, 0], [0, 0, 0, 0, 0, 0]); // ABORT marker
            else builder.Append(1000 + i, Encoding.UTF8.GetBytes($"k{baseOffset + i}"), Encoding.UTF8.GetBytes($"v{baseOffset + i}"));
        }
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        builder.Build(writer, producerId, 0, 0, transactional);
        var batch = writer.WrittenSpan.ToArray();
        RecordBatchHeader.SetBaseOffset(batch, baseOffset);
        if (control)
        {
            short attributes = BinaryPrimitives.ReadInt16BigEndian(batch.AsSpan(RecordBatchHeader.AttributesAt));
            BinaryPrimitives.WriteInt16BigEndian(batch.AsSpan(RecordBatchHeader.AttributesAt), (short)(attributes | 0x20));
            BinaryPrimitives.WriteUInt32BigEndian(batch.AsSpan(RecordBatchHeader.CrcAt), RecordBatchHeader.ComputeCrc(batch));
        }
        return batch;
    }

    private static List<(long Offset, string Key, string Value)> ReadAll(CompletedFetch fetch)
    {
        var list = new List<(long, string, string)>();
        while (fetch.TryNext(out var record, out long offset, out _, out _))
            list.Add((offset, Encoding.UTF8.GetString(record.Key), Encoding.UTF8.GetString(record.Value)));
        return list;
    }

    private static PartitionState State(long position) => new(new TopicPartition("t", 0)) { Source = PositionSource.Known, Position = position };

    [Theory]
    [InlineData(CompressionCodec.None)]
    [InlineData(CompressionCodec.Gzip)]
    [InlineData(CompressionCodec.Snappy)]
    [InlineData(CompressionCodec.Lz4)]
    [InlineData(CompressionCodec.Zstd)]
    public void Records_below_the_position_and_control_batches_are_skipped(CompressionCodec codec)
    {
        byte[] data = [.. Batch(10, 5, codec), .. Batch(15, 3), .. Batch(18, 1, producerId: 3, transactional: true, control: true)];
        var state = State(12);
        using var fetch = new CompletedFetch(state, state.Epoch, data, checkCrcs: true, readCommitted: false, aborted: null);
        var read = ReadAll(fetch);
        Assert.Equal([12L, 13, 14, 15, 16, 17], read.Select(r => r.Offset));
        Assert.All(read, r => Assert.Equal(($"k{r.Offset}", $"v{r.Offset}"), (r.Key, r.Value)));
        Assert.Equal(19, state.Position); // past the control batch
    }

    [Fact]
    public void A_corrupted_batch_fails_its_crc_check_unless_checking_is_off()
    {
        var data = Batch(0, 3);
        data[^2] = (byte)'9'; // the last value's last character ("v2" becomes "v9"); the last byte is the header count
        var strict = new CompletedFetch(State(0), 0, data, checkCrcs: true, readCommitted: false, aborted: null);
        Assert.Equal(ErrorCode.CorruptMessage, Assert.Throws<KafkaException>(() => ReadAll(strict)).Code);
        var lax = new CompletedFetch(State(0), 0, data, checkCrcs: false, readCommitted: false, aborted: null);
        Assert.Equal(3, ReadAll(lax).Count);
    }

    [Fact]
    public void Read_committed_skips_an_aborted_transaction_up_to_its_marker()
    {
        byte[] data =
        [
            .. Batch(0, 3, producerId: 7, transactional: true),
            .. Batch(3, 1, producerId: 7, transactional: true, control: true),
            .. Batch(4, 2, producerId: 7, transactional: true),
            .. Batch(6, 1),
        ];
        var aborted = new List<FetchResponse.AbortedTransaction> { new() { ProducerId = 7, FirstOffset = 0 } };
        var committed = new CompletedFetch(State(0), 0, data, checkCrcs: true, readCommitted: true, aborted);
        // The abort marker at 3 ends the aborted range: 4-5 belong to a later transaction of producer 7.
        Assert.Equal([4L, 5, 6], ReadAll(committed).Select(r => r.Offset));
        var uncommitted = new CompletedFetch(State(0), 0, data, checkCrcs: true, readCommitted: false, aborted);
        Assert.Equal([0L, 1, 2, 4, 5, 6], ReadAll(uncommitted).Select(r => r.Offset));
    }

    [Fact]
    public void A_partial_batch_at_the_end_of_a_response_is_cut_off()
    {
        var first = Batch(0, 2);
        byte[] data = [.. first, .. Batch(2, 2)[..40]];
        Assert.Equal(first.Length, Fetcher.CompleteBatches(data, out long next));
        Assert.Equal(2, next);
        Assert.Equal(0, Fetcher.CompleteBatches(data.AsSpan(0, 30), out _));
    }
}
