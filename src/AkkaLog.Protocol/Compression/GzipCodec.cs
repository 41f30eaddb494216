using System.Buffers;
using System.IO.Compression;

namespace AkkaLog.Protocol.Compression;

/// <summary>gzip as Kafka uses it: a gzip-wrapped deflate stream.</summary>
internal static class GzipCodec
{
    public static void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        using var stream = new BufferWriterStream(output);
        using (var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(input);
    }

    public static unsafe void Decompress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        if (input.IsEmpty) return; // GZipStream writes nothing at all for empty input
        fixed (byte* p = input)
        {
            using var source = new UnmanagedMemoryStream(p, input.Length);
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            while (true)
            {
                var span = output.GetSpan(16 * 1024);
                int read = gzip.Read(span);
                if (read == 0) break;
                output.Advance(read);
            }
        }
    }
}
