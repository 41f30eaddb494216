using System.Buffers;
using System.Runtime.InteropServices;

namespace AkkaLog.Protocol.Compression;

/// <summary>
/// LZ4 frames through the machine's liblz4.so.1 (no managed LZ4 package is available). Kafka
/// (magic 2) uses the standard frame format with independent blocks; KAFKA-3160's broken
/// header checksum only concerns magic 0, which we never store.
/// </summary>
internal static unsafe class Lz4Codec
{
    private const string Library = "liblz4.so.1";
    private const uint Lz4FVersion = 100;

    [StructLayout(LayoutKind.Sequential)]
    private struct Preferences
    {
        public int BlockSizeId;      // 4 = 64 KiB, Kafka's default
        public int BlockMode;        // 1 = independent blocks
        public int ContentChecksum;
        public int FrameType;
        public ulong ContentSize;
        public uint DictId;
        public int BlockChecksum;
        public int CompressionLevel;
        public uint AutoFlush;
        public uint FavorDecSpeed;
        public uint Reserved0, Reserved1, Reserved2;
    }

    [DllImport(Library)] private static extern nuint LZ4F_compressFrameBound(nuint srcSize, Preferences* prefs);
    [DllImport(Library)] private static extern nuint LZ4F_compressFrame(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, Preferences* prefs);
    [DllImport(Library)] private static extern uint LZ4F_isError(nuint code);
    [DllImport(Library)] private static extern IntPtr LZ4F_getErrorName(nuint code);
    [DllImport(Library)] private static extern nuint LZ4F_createDecompressionContext(IntPtr* context, uint version);
    [DllImport(Library)] private static extern nuint LZ4F_freeDecompressionContext(IntPtr context);
    [DllImport(Library)] private static extern nuint LZ4F_decompress(IntPtr context, byte* dst, nuint* dstSize, byte* src, nuint* srcSize, void* options);

    public static void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        var prefs = new Preferences { BlockSizeId = 4, BlockMode = 1 };
        nuint bound = LZ4F_compressFrameBound((nuint)input.Length, &prefs);
        var span = output.GetSpan((int)bound);
        nuint written;
        fixed (byte* src = input)
        fixed (byte* dst = span)
            written = LZ4F_compressFrame(dst, (nuint)span.Length, src, (nuint)input.Length, &prefs);
        Check(written);
        output.Advance((int)written);
    }

    public static void Decompress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        IntPtr context;
        Check(LZ4F_createDecompressionContext(&context, Lz4FVersion));
        try
        {
            fixed (byte* src = input)
            {
                int consumed = 0;
                while (consumed < input.Length)
                {
                    var span = output.GetSpan(64 * 1024);
                    nuint dstSize = (nuint)span.Length;
                    nuint srcSize = (nuint)(input.Length - consumed);
                    nuint hint;
                    fixed (byte* dst = span)
                        hint = LZ4F_decompress(context, dst, &dstSize, src + consumed, &srcSize, null);
                    Check(hint);
                    consumed += (int)srcSize;
                    output.Advance((int)dstSize);
                    if (hint == 0 && consumed == input.Length) return;
                    if (srcSize == 0 && dstSize == 0) throw new InvalidDataException("lz4 frame made no progress");
                }
                throw new InvalidDataException("lz4 frame is truncated");
            }
        }
        finally
        {
            LZ4F_freeDecompressionContext(context);
        }
    }

    private static void Check(nuint code)
    {
        if (LZ4F_isError(code) != 0)
            throw new InvalidDataException("lz4: " + Marshal.PtrToStringAnsi(LZ4F_getErrorName(code)));
    }
}
