using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AkkaLog.Protocol.Records;

/// <summary>
/// CRC-32C by carry-less multiplication (VPCLMULQDQ), for inputs of <see cref="FoldMinimum"/> bytes or more.
/// </summary>
/// <remarks>
/// The CRC instruction handles 8 bytes a cycle at best; folding handles a 64-byte vector per
/// multiply pair. Without the inversions the CRC is the message polynomial M(x)·x³² mod P, so any
/// 16-byte piece A that lies D bits before another may be replaced by A·x^D mod P added into that one,
/// without changing the result. For the reflected bit order, a 128-bit lane (low half a, high half b)
/// moved D bits forward is clmul(a, x^(D+31) mod P) ⊕ clmul(b, x^(D−33) mod P) (checked against the
/// CRC instruction for every distance used, in the tests). Four 512-bit accumulators take 256 bytes a
/// step; they fold into one, its four lanes into one, and the CRC instruction finishes the last 16
/// bytes and the tail. The initial register goes into the first four bytes: with no inversion, a
/// register c over M equals a zero register over M with c added into its start.
/// </remarks>
public static partial class Crc32C
{
    private const int FoldMinimum = 512;

    private static bool CanFold => Pclmulqdq.V512.IsSupported && Sse42.X64.IsSupported;

    private static uint UpdateFolding(uint crc, ReadOnlySpan<byte> data)
    {
        ref byte p = ref MemoryMarshal.GetReference(data);
        nuint length = (nuint)data.Length, at = 256;
        var x0 = Vector512.LoadUnsafe(ref p).AsUInt64() ^ Vector512.CreateScalar((ulong)crc);
        var x1 = Vector512.LoadUnsafe(ref p, 64).AsUInt64();
        var x2 = Vector512.LoadUnsafe(ref p, 128).AsUInt64();
        var x3 = Vector512.LoadUnsafe(ref p, 192).AsUInt64();
        var by2048 = Fold.By2048;
        for (; at + 256 <= length; at += 256)
        {
            x0 = Forward(x0, by2048) ^ Vector512.LoadUnsafe(ref p, at).AsUInt64();
            x1 = Forward(x1, by2048) ^ Vector512.LoadUnsafe(ref p, at + 64).AsUInt64();
            x2 = Forward(x2, by2048) ^ Vector512.LoadUnsafe(ref p, at + 128).AsUInt64();
            x3 = Forward(x3, by2048) ^ Vector512.LoadUnsafe(ref p, at + 192).AsUInt64();
        }
        var x = Forward(x0, Fold.By1536) ^ Forward(x1, Fold.By1024) ^ Forward(x2, Fold.By512) ^ x3;
        for (; at + 64 <= length; at += 64) x = Forward(x, Fold.By512) ^ Vector512.LoadUnsafe(ref p, at).AsUInt64();

        var lane = Forward(x.GetLower().GetLower(), Fold.By384) ^ Forward(x.GetLower().GetUpper(), Fold.By256)
            ^ Forward(x.GetUpper().GetLower(), Fold.By128) ^ x.GetUpper().GetUpper();
        for (; at + 16 <= length; at += 16) lane = Forward(lane, Fold.By128) ^ Vector128.LoadUnsafe(ref p, at).AsUInt64();

        ulong c = Sse42.X64.Crc32(Sse42.X64.Crc32(0UL, lane.GetElement(0)), lane.GetElement(1));
        return UpdateSse42X64((uint)c, data[(int)at..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Forward(Vector512<ulong> x, Vector512<ulong> k) =>
        Pclmulqdq.V512.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.V512.CarrylessMultiply(x, k, 0x11);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Forward(Vector128<ulong> x, Vector128<ulong> k) =>
        Pclmulqdq.CarrylessMultiply(x, k, 0x00) ^ Pclmulqdq.CarrylessMultiply(x, k, 0x11);

    /// <summary>The multipliers that move a 128-bit lane forward by a distance in bits (first use, after the powers of x exist).</summary>
    private static class Fold
    {
        public static readonly Vector512<ulong> By2048 = Wide(2048), By1536 = Wide(1536), By1024 = Wide(1024), By512 = Wide(512);
        public static readonly Vector128<ulong> By384 = Narrow(384), By256 = Narrow(256), By128 = Narrow(128);

        private static Vector128<ulong> Narrow(int bits) => Vector128.Create((ulong)PowerOfX(bits + 31), PowerOfX(bits - 33));

        private static Vector512<ulong> Wide(int bits)
        {
            var lane = Narrow(bits);
            return Vector512.Create(Vector256.Create(lane, lane), Vector256.Create(lane, lane));
        }
    }
}
