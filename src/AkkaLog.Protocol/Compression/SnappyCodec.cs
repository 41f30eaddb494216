using System.Buffers;
using System.Buffers.Binary;
using IronSnappy;

namespace AkkaLog.Protocol.Compression;

/// <summary>
/// Snappy. librdkafka and kafkajs write one raw block; the Java client writes xerial framing
/// (an 8-byte magic, two int32 versions, then int32-length-prefixed raw blocks). We read both
/// and write the raw block, which every client reads.
/// </summary>
internal static class SnappyCodec
{
    private static ReadOnlySpan<byte> XerialMagic => [0x82, (byte)'S', (byte)'N', (byte)'A', (byte)'P', (byte)'P', (byte)'Y', 0];
    private const int XerialHeaderSize = 16;

    public static void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output) =>
        output.Write(Snappy.Encode(input));

    public static void Decompress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        try
        {
            if (input.Length >= XerialHeaderSize && input[..8].SequenceEqual(XerialMagic))
            {
                var rest = input[XerialHeaderSize..];
                while (rest.Length > 0)
                {
                    if (rest.Length < 4) throw new InvalidDataException("truncated xerial snappy chunk header");
                    int len = BinaryPrimitives.ReadInt32BigEndian(rest);
                    if (len < 0 || len > rest.Length - 4) throw new InvalidDataException("xerial snappy chunk runs past the end");
                    output.Write(Snappy.Decode(rest.Slice(4, len)));
                    rest = rest[(4 + len)..];
                }
                return;
            }
            output.Write(Snappy.Decode(input));
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            throw new InvalidDataException("corrupt snappy data: " + e.Message, e);
        }
    }
}
