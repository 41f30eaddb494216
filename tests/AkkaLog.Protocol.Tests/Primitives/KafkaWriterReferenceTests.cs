using AkkaLog.Protocol.Messages;

namespace AkkaLog.Protocol.Tests.Primitives;

/// <summary>Large bytes fields written by reference: the gathered frame must be byte for byte the copied one.</summary>
public class KafkaWriterReferenceTests
{
    [Theory]
    [InlineData(3)]  // classic encoding: int32 lengths
    [InlineData(9)]  // flexible encoding: compact lengths and tagged fields
    public void A_produce_request_gathered_from_references_equals_the_copied_frame(short version)
    {
        var first = Batch(40_000, 1);
        var second = Batch(70_000, 2);
        var request = new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 30_000,
            TopicData =
            [
                new() { Name = "a", PartitionData = [new() { Index = 0, Records = first }, new() { Index = 1, Records = new byte[10] }] },
                new() { Name = "b", PartitionData = [new() { Index = 3, Records = second }, new() { Index = 4, Records = null }] },
            ],
        };

        byte[] copied = Frame(request, version, byReference: false, out _);
        byte[] gathered = Frame(request, version, byReference: true, out int segments);

        Assert.Equal(copied, gathered);
        // Own bytes, first batch, own bytes (incl. the small batch, copied), second batch, own bytes.
        Assert.Equal(5, segments);
    }

    [Fact]
    public void Positions_count_referenced_bytes_and_patching_maps_past_them()
    {
        using var writer = new KafkaWriter(64);
        writer.WriteLargeBytesByReference(100);
        int sizeAt = writer.ReserveInt32();
        writer.WriteNullableBytes(new byte[150]);
        int afterAt = writer.ReserveInt32();
        Assert.Equal(4 + 4 + 150 + 4, writer.Position);
        writer.PatchInt32(afterAt, 7);
        writer.PatchInt32(sizeAt, writer.Position - 4);

        var segments = new List<ArraySegment<byte>>();
        writer.GetSegments(segments);
        var frame = segments.SelectMany(s => s).ToArray();
        var reader = new KafkaReader(frame);
        Assert.Equal(frame.Length - 4, reader.ReadInt32());
        Assert.Equal(150, reader.ReadNullableBytes()!.Value.Length);
        Assert.Equal(7, reader.ReadInt32());
    }

    [Fact]
    public void Whole_buffer_views_and_inserts_refuse_once_bytes_are_referenced()
    {
        using var writer = new KafkaWriter(64);
        writer.WriteLargeBytesByReference(16);
        writer.WriteInt32(1);
        writer.WriteNullableBytes(new byte[32]);
        Assert.True(writer.HasReferences);
        Assert.Throws<InvalidOperationException>(() => writer.WrittenSpan.Length);
        Assert.Throws<InvalidOperationException>(() => writer.ToArray());
        Assert.Throws<InvalidOperationException>(() => writer.InsertUnsignedVarInt(0, 1));
        // A position inside the referenced bytes names no byte of ours.
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.PatchInt32(20, 0));

        writer.Reset();
        Assert.False(writer.HasReferences);
        writer.WriteInt32(5);
        Assert.Equal(4, writer.WrittenSpan.Length);
    }

    [Fact]
    public void Small_fields_and_writers_not_asked_are_copied_as_before()
    {
        using var writer = new KafkaWriter(64);
        writer.WriteNullableBytes(new byte[100_000]);
        Assert.False(writer.HasReferences);
        Assert.Equal(100_004, writer.WrittenSpan.Length);
    }

    private static byte[] Batch(int size, byte fill)
    {
        var bytes = new byte[size];
        Array.Fill(bytes, fill);
        bytes[0] = (byte)(fill + 100);
        bytes[^1] = (byte)(fill + 200);
        return bytes;
    }

    private static byte[] Frame(ProduceRequest request, short version, bool byReference, out int segmentCount)
    {
        using var writer = new KafkaWriter(256);
        if (byReference) writer.WriteLargeBytesByReference(1024);
        int sizeAt = writer.ReserveInt32();
        KafkaHeaders.WriteRequestHeader(writer, ApiKey.Produce, version, 17, "test");
        request.Write(writer, version);
        writer.PatchInt32(sizeAt, writer.Position - 4);
        var segments = new List<ArraySegment<byte>>();
        writer.GetSegments(segments);
        segmentCount = segments.Count;
        return segments.SelectMany(s => s).ToArray();
    }
}
