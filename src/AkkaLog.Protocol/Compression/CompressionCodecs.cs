using System.Buffers;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Protocol.Compression;

/// <summary>
/// Compresses and decompresses a record batch's records section with the four Kafka codecs.
/// gzip uses System.IO.Compression, snappy uses IronSnappy, lz4 and zstd call the machine's
/// liblz4.so.1 and libzstd.so.1 (no managed LZ4/Zstandard package is available to us).
/// </summary>
public static class CompressionCodecs
{
    /// <summary>Compresses <paramref name="input"/> into <paramref name="output"/>.</summary>
    public static void Compress(CompressionCodec codec, ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        switch (codec)
        {
            case CompressionCodec.None: output.Write(input); break;
            case CompressionCodec.Gzip: GzipCodec.Compress(input, output); break;
            case CompressionCodec.Snappy: SnappyCodec.Compress(input, output); break;
            case CompressionCodec.Lz4: Lz4Codec.Compress(input, output); break;
            case CompressionCodec.Zstd: ZstdCodec.Compress(input, output); break;
            default: throw new NotSupportedException($"compression codec {(int)codec} is not supported");
        }
    }

    /// <summary>Decompresses <paramref name="input"/> into <paramref name="output"/>; throws <see cref="InvalidDataException"/> on corrupt input.</summary>
    public static void Decompress(CompressionCodec codec, ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        switch (codec)
        {
            case CompressionCodec.None: output.Write(input); break;
            case CompressionCodec.Gzip: GzipCodec.Decompress(input, output); break;
            case CompressionCodec.Snappy: SnappyCodec.Decompress(input, output); break;
            case CompressionCodec.Lz4: Lz4Codec.Decompress(input, output); break;
            case CompressionCodec.Zstd: ZstdCodec.Decompress(input, output); break;
            default: throw new NotSupportedException($"compression codec {(int)codec} is not supported");
        }
    }

    /// <summary>True for the codecs this build can handle (all four, if the native libraries load).</summary>
    public static bool IsKnown(CompressionCodec codec) => codec <= CompressionCodec.Zstd;
}
