using System.Buffers;
using System.Runtime.InteropServices;

namespace AkkaLog.Protocol.Compression;

/// <summary>
/// Zstandard frames through the machine's libzstd.so.1 (no managed zstd package is available).
/// Decompression streams, because producers need not record the content size in the frame.
/// </summary>
internal static unsafe class ZstdCodec
{
    private const string Library = "libzstd.so.1";
    private const int Level = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Buffer
    {
        public byte* Data;
        public nuint Size;
        public nuint Position;
    }

    [DllImport(Library)] private static extern nuint ZSTD_compressBound(nuint srcSize);
    [DllImport(Library)] private static extern nuint ZSTD_compress(byte* dst, nuint dstCapacity, byte* src, nuint srcSize, int level);
    [DllImport(Library)] private static extern uint ZSTD_isError(nuint code);
    [DllImport(Library)] private static extern IntPtr ZSTD_getErrorName(nuint code);
    [DllImport(Library)] private static extern IntPtr ZSTD_createDCtx();
    [DllImport(Library)] private static extern nuint ZSTD_freeDCtx(IntPtr context);
    [DllImport(Library)] private static extern nuint ZSTD_decompressStream(IntPtr context, Buffer* output, Buffer* input);

    public static void Compress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        nuint bound = ZSTD_compressBound((nuint)input.Length);
        var span = output.GetSpan((int)bound);
        nuint written;
        fixed (byte* src = input)
        fixed (byte* dst = span)
            written = ZSTD_compress(dst, (nuint)span.Length, src, (nuint)input.Length, Level);
        Check(written);
        output.Advance((int)written);
    }

    public static void Decompress(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
    {
        IntPtr context = ZSTD_createDCtx();
        if (context == IntPtr.Zero) throw new OutOfMemoryException("ZSTD_createDCtx failed");
        try
        {
            fixed (byte* src = input)
            {
                var inBuf = new Buffer { Data = src, Size = (nuint)input.Length };
                nuint hint = 1;
                while (inBuf.Position < inBuf.Size || hint != 0)
                {
                    var span = output.GetSpan(64 * 1024);
                    fixed (byte* dst = span)
                    {
                        var outBuf = new Buffer { Data = dst, Size = (nuint)span.Length };
                        hint = ZSTD_decompressStream(context, &outBuf, &inBuf);
                        Check(hint);
                        output.Advance((int)outBuf.Position);
                        if (inBuf.Position == inBuf.Size && hint != 0 && outBuf.Position < outBuf.Size)
                            throw new InvalidDataException("zstd frame is truncated");
                    }
                }
            }
        }
        finally
        {
            ZSTD_freeDCtx(context);
        }
    }

    private static void Check(nuint code)
    {
        if (ZSTD_isError(code) != 0)
            throw new InvalidDataException("zstd: " + Marshal.PtrToStringAnsi(ZSTD_getErrorName(code)));
    }
}
