namespace AkkaLog.Protocol.Tests.Primitives;

public class MalformedInputTests
{
    private delegate void ReadAction(ref KafkaReader reader);

    private static KafkaProtocolException Fails(byte[] input, ReadAction read)
    {
        var reader = new KafkaReader(input);
        try
        {
            read(ref reader);
        }
        catch (KafkaProtocolException e)
        {
            return e;
        }

        throw new Xunit.Sdk.XunitException("Expected a KafkaProtocolException.");
    }

    [Fact]
    public void ShortFixedWidthReads()
    {
        Fails([], (ref KafkaReader r) => r.ReadInt8());
        Fails([0], (ref KafkaReader r) => r.ReadInt16());
        Fails([0, 0, 0], (ref KafkaReader r) => r.ReadInt32());
        Fails([0, 0, 0, 0, 0, 0, 0], (ref KafkaReader r) => r.ReadInt64());
        Fails(new byte[15], (ref KafkaReader r) => r.ReadUuid());
        var e = Fails([0, 1], (ref KafkaReader r) => { r.ReadInt8(); r.ReadInt32(); });
        Assert.Contains("offset 1", e.Message);
        Assert.Equal(ErrorCode.CorruptMessage, e.ErrorCode);
    }

    [Fact]
    public void NegativeLengthsOtherThanMinusOne()
    {
        Fails([0xFF, 0xFE], (ref KafkaReader r) => r.ReadNullableString());
        Fails([0xFF, 0xFF, 0xFF, 0xFE], (ref KafkaReader r) => r.ReadNullableBytes());
        Fails([0xFF, 0xFF, 0xFF, 0xFE], (ref KafkaReader r) => r.ReadArrayLength());
        Fails([0x80, 0x00, 0x00, 0x00], (ref KafkaReader r) => r.ReadArrayLength());
    }

    [Fact]
    public void NullWhereNonNullIsRequired()
    {
        Fails([0xFF, 0xFF], (ref KafkaReader r) => r.ReadString());
        Fails([0x00], (ref KafkaReader r) => r.ReadCompactString());
        Fails([0xFF, 0xFF, 0xFF, 0xFF], (ref KafkaReader r) => r.ReadBytes());
        Fails([0x00], (ref KafkaReader r) => r.ReadCompactBytes());
    }

    [Fact]
    public void LengthsPastTheEnd()
    {
        Fails([0x00, 0x05, 0x61], (ref KafkaReader r) => r.ReadString());
        Fails([0x06, 0x61], (ref KafkaReader r) => r.ReadCompactString());
        Fails([0x00, 0x00, 0x00, 0x02, 0x01], (ref KafkaReader r) => r.ReadBytes());
        Fails([0x03, 0x01], (ref KafkaReader r) => r.ReadCompactBytes());
        Fails([0x00, 0x00, 0x10, 0x00], (ref KafkaReader r) => r.ReadArrayLength());
        Fails([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], (ref KafkaReader r) => r.ReadCompactArrayLength());
        Fails([0x01, 0x00, 0x05, 0x00], (ref KafkaReader r) => r.SkipTaggedFields());
        Fails([0x05], (ref KafkaReader r) => r.ReadTagCount());
    }

    [Fact]
    public void OverlongVarInts()
    {
        Fails([0x80, 0x80, 0x80, 0x80, 0x80, 0x01], (ref KafkaReader r) => r.ReadUnsignedVarInt());
        Fails([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01], (ref KafkaReader r) => r.ReadUnsignedVarLong());
        Fails([0x80, 0x80], (ref KafkaReader r) => r.ReadUnsignedVarInt());
    }

    [Fact]
    public void SkipAndRawRejectBadCounts()
    {
        Fails([1, 2], (ref KafkaReader r) => r.Skip(3));
        Fails([1, 2], (ref KafkaReader r) => r.Skip(-1));
        Fails([1, 2], (ref KafkaReader r) => r.ReadRaw(3));
    }

    [Fact]
    public void TrailingBytesAreReported()
    {
        Fails([1, 2], (ref KafkaReader r) => { r.ReadInt8(); r.EnsureAtEnd(); });
    }
}
