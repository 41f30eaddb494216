namespace AkkaLog.Client.Tests.Unit;

/// <summary>The byte[] serializer's pass-through form keeps a null array null (a tombstone), not an empty value.</summary>
public sealed class SerializersTests
{
    [Fact]
    public void Byte_array_pass_through_keeps_null_apart_from_empty()
    {
        var passThrough = (IPassThroughSerializer<byte[]>)Serializers.ByteArray;
        Assert.Null(passThrough.Bytes(null!));
        var empty = passThrough.Bytes([]);
        Assert.True(empty.HasValue);
        Assert.Equal(0, empty!.Value.Length);
        Assert.Equal(new byte[] { 1, 2 }, passThrough.Bytes([1, 2])!.Value.ToArray());
    }
}
