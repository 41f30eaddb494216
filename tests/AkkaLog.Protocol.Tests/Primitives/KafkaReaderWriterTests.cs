namespace AkkaLog.Protocol.Tests.Primitives;

public class KafkaReaderWriterTests
{
    private static byte[] Write(Action<KafkaWriter> write)
    {
        using var writer = new KafkaWriter(16);
        write(writer);
        return writer.ToArray();
    }

    [Fact]
    public void FixedWidthValuesAreBigEndianAndRoundTrip()
    {
        var bytes = Write(w =>
        {
            w.WriteInt8(-2);
            w.WriteInt16(0x0102);
            w.WriteUInt16(0xFFFE);
            w.WriteInt32(0x01020304);
            w.WriteUInt32(0xFFFFFFFE);
            w.WriteInt64(0x0102030405060708);
            w.WriteFloat64(1.5);
            w.WriteBool(true);
            w.WriteBool(false);
        });

        Assert.Equal(
            new byte[]
            {
                0xFE, 0x01, 0x02, 0xFF, 0xFE, 0x01, 0x02, 0x03, 0x04, 0xFF, 0xFF, 0xFF, 0xFE,
                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
            },
            bytes);

        var reader = new KafkaReader(bytes);
        Assert.Equal(-2, reader.ReadInt8());
        Assert.Equal(0x0102, reader.ReadInt16());
        Assert.Equal(0xFFFE, reader.ReadUInt16());
        Assert.Equal(0x01020304, reader.ReadInt32());
        Assert.Equal(0xFFFFFFFEu, reader.ReadUInt32());
        Assert.Equal(0x0102030405060708, reader.ReadInt64());
        Assert.Equal(1.5, reader.ReadFloat64());
        Assert.True(reader.ReadBool());
        Assert.False(reader.ReadBool());
        Assert.True(reader.IsAtEnd);
    }

    [Fact]
    public void UuidKeepsExactBytes()
    {
        byte[] raw = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF];
        var reader = new KafkaReader(raw);
        var id = reader.ReadUuid();
        Assert.Equal("00112233-4455-6677-8899-aabbccddeeff", id.ToString());
        Assert.Equal(raw, Write(w => w.WriteUuid(id)));
    }

    [Theory]
    [InlineData(0u, new byte[] { 0x00 })]
    [InlineData(1u, new byte[] { 0x01 })]
    [InlineData(127u, new byte[] { 0x7F })]
    [InlineData(128u, new byte[] { 0x80, 0x01 })]
    [InlineData(300u, new byte[] { 0xAC, 0x02 })]
    [InlineData(16383u, new byte[] { 0xFF, 0x7F })]
    [InlineData(16384u, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(uint.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void UnsignedVarIntEncoding(uint value, byte[] expected)
    {
        var bytes = Write(w => w.WriteUnsignedVarInt(value));
        Assert.Equal(expected, bytes);
        Assert.Equal(expected.Length, KafkaWriter.UnsignedVarIntSize(value));
        var reader = new KafkaReader(bytes);
        Assert.Equal(value, reader.ReadUnsignedVarInt());
        Assert.True(reader.IsAtEnd);
    }

    [Theory]
    [InlineData(0, new byte[] { 0x00 })]
    [InlineData(-1, new byte[] { 0x01 })]
    [InlineData(1, new byte[] { 0x02 })]
    [InlineData(-64, new byte[] { 0x7F })]
    [InlineData(64, new byte[] { 0x80, 0x01 })]
    [InlineData(int.MaxValue, new byte[] { 0xFE, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(int.MinValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void ZigZagVarIntEncoding(int value, byte[] expected)
    {
        var bytes = Write(w => w.WriteVarInt(value));
        Assert.Equal(expected, bytes);
        var reader = new KafkaReader(bytes);
        Assert.Equal(value, reader.ReadVarInt());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(1L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    [InlineData(1L << 35)]
    [InlineData(-(1L << 49))]
    public void ZigZagVarLongRoundTrips(long value)
    {
        var bytes = Write(w => w.WriteVarLong(value));
        Assert.True(bytes.Length <= 10);
        var reader = new KafkaReader(bytes);
        Assert.Equal(value, reader.ReadVarLong());
        Assert.True(reader.IsAtEnd);
    }

    [Fact]
    public void UnsignedVarLongMaxIsTenBytes()
    {
        var bytes = Write(w => w.WriteUnsignedVarLong(ulong.MaxValue));
        Assert.Equal(10, bytes.Length);
        var reader = new KafkaReader(bytes);
        Assert.Equal(ulong.MaxValue, reader.ReadUnsignedVarLong());
    }

    [Fact]
    public void StringsInBothEncodings()
    {
        var bytes = Write(w =>
        {
            w.WriteString("hé");
            w.WriteNullableString(null);
            w.WriteCompactString("ab");
            w.WriteCompactNullableString(null);
            w.WriteCompactString("");
        });
        Assert.Equal(new byte[] { 0x00, 0x03, 0x68, 0xC3, 0xA9, 0xFF, 0xFF, 0x03, 0x61, 0x62, 0x00, 0x01 }, bytes);

        var reader = new KafkaReader(bytes);
        Assert.Equal("hé", reader.ReadString());
        Assert.Null(reader.ReadNullableString());
        Assert.Equal("ab", reader.ReadCompactString());
        Assert.Null(reader.ReadCompactNullableString());
        Assert.Equal("", reader.ReadCompactString());
        Assert.True(reader.IsAtEnd);
    }

    [Fact]
    public void BytesAreSlicesOfTheInput()
    {
        var bytes = Write(w =>
        {
            w.WriteBytes([1, 2, 3]);
            w.WriteNullableBytes(null);
            w.WriteCompactBytes([4]);
            w.WriteCompactNullableBytes(null);
        });
        Assert.Equal(new byte[] { 0, 0, 0, 3, 1, 2, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 4, 0x00 }, bytes);

        var reader = new KafkaReader(bytes);
        var first = reader.ReadBytes();
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first, out var segment));
        Assert.Same(bytes, segment.Array);
        Assert.Equal(4, segment.Offset);
        Assert.Null(reader.ReadNullableBytes());
        Assert.Equal(new byte[] { 4 }, reader.ReadCompactBytes().ToArray());
        Assert.Null(reader.ReadCompactNullableBytes());
    }

    [Fact]
    public void ArrayLengths()
    {
        var bytes = Write(w =>
        {
            w.WriteArrayLength(-1);
            w.WriteArrayLength(0);
            w.WriteCompactArrayLength(-1);
            w.WriteCompactArrayLength(0);
            w.WriteCompactArrayLength(2);
            w.WriteInt16(0);
        });
        var reader = new KafkaReader(bytes);
        Assert.Equal(-1, reader.ReadArrayLength());
        Assert.Equal(0, reader.ReadArrayLength());
        Assert.Equal(-1, reader.ReadCompactArrayLength());
        Assert.Equal(0, reader.ReadCompactArrayLength());
        Assert.Equal(2, reader.ReadCompactArrayLength());
    }

    [Fact]
    public void TaggedFieldSizeIsInsertedInFront()
    {
        var bytes = Write(w =>
        {
            w.WriteUnsignedVarInt(1);
            int mark = w.BeginTaggedField(5);
            w.WriteRaw(new byte[200]);
            w.EndTaggedField(mark);
            w.WriteInt8(7);
        });
        Assert.Equal(1 + 1 + 2 + 200 + 1, bytes.Length);
        Assert.Equal(new byte[] { 0x01, 0x05, 0xC8, 0x01 }, bytes[..4]);
        Assert.Equal(7, bytes[^1]);

        var reader = new KafkaReader(bytes);
        reader.SkipTaggedFields();
        Assert.Equal(7, reader.ReadInt8());
    }

    [Fact]
    public void ReserveAndPatchSizePrefix()
    {
        using var writer = new KafkaWriter();
        int at = writer.ReserveInt32();
        writer.WriteInt16(9);
        writer.PatchInt32(at, writer.Position - 4);
        Assert.Equal(new byte[] { 0, 0, 0, 2, 0, 9 }, writer.WrittenSpan.ToArray());
        writer.Reset();
        Assert.Equal(0, writer.Position);
    }

    [Fact]
    public void WriterGrowsPastItsInitialBuffer()
    {
        using var writer = new KafkaWriter(16);
        for (int i = 0; i < 10_000; i++)
        {
            writer.WriteInt32(i);
        }

        var reader = new KafkaReader(writer.WrittenMemory);
        for (int i = 0; i < 10_000; i++)
        {
            Assert.Equal(i, reader.ReadInt32());
        }
    }

    [Fact]
    public void WriterIsABufferWriter()
    {
        using var writer = new KafkaWriter();
        System.Buffers.IBufferWriter<byte> bufferWriter = writer;
        var span = bufferWriter.GetSpan(3);
        span[0] = 1;
        span[1] = 2;
        span[2] = 3;
        bufferWriter.Advance(3);
        Assert.Equal(new byte[] { 1, 2, 3 }, writer.ToArray());
    }
}
