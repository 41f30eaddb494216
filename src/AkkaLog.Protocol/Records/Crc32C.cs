using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace AkkaLog.Protocol.Records;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of a v2 record batch. Uses carry-less multiplication for
/// inputs of 512 bytes or more where the CPU has VPCLMULQDQ (<c>Crc32C.Folding.cs</c>), the SSE4.2 or
/// Arm CRC32 instructions when present, and a byte table otherwise. Written here because
/// System.IO.Hashing (which has no CRC-32C anyway) is not available on our package feed.
/// </summary>
/// <remarks>
/// The CRC instruction takes three cycles but can start one per cycle, so one chain of it runs at a
/// third of the unit's speed. Inputs of at least <see cref="InterleavedChunk"/> bytes are therefore
/// split into three equal blocks whose CRCs run side by side, then combined: without the initial and
/// final inversion the CRC register is linear, so crc(A‖B) = shift(crc(A)) ⊕ crc₀(B), where shift
/// is what <see cref="Block"/> zero bytes do to the register (a fixed 32×32 bit matrix, applied here
/// through four 256-entry tables, one per register byte).
/// </remarks>
public static partial class Crc32C
{
    private const uint Polynomial = 0x82F63B78; // reflected Castagnoli polynomial
    private const int Block = 512;
    private const int InterleavedChunk = 3 * Block;
    private static readonly uint[] Table = BuildTable();
    private static readonly uint[] ShiftTables = BuildShiftTables();

    /// <summary>Computes the CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(0xFFFFFFFF, data);

    /// <summary>
    /// Continues a running CRC. Start with <c>0xFFFFFFFF</c> and invert the final value,
    /// or use <see cref="Compute"/> for a single span.
    /// </summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        if (data.Length >= FoldMinimum && CanFold) return UpdateFolding(crc, data);
        if (Sse42.X64.IsSupported) return UpdateSse42X64(crc, data);
        if (Sse42.IsSupported) return UpdateSse42(crc, data);
        if (Crc32.Arm64.IsSupported) return UpdateArm64(crc, data);
        return UpdateTable(crc, data);
    }

    /// <summary>The SSE4.2 path (tests check the folding path against it).</summary>
    internal static uint UpdateSse42X64(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= InterleavedChunk)
        {
            ref byte p = ref MemoryMarshal.GetReference(data);
            ulong c0 = crc, c1 = 0, c2 = 0;
            for (int i = 0; i < Block; i += 8)
            {
                c0 = Sse42.X64.Crc32(c0, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
                c1 = Sse42.X64.Crc32(c1, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, Block + i)));
                c2 = Sse42.X64.Crc32(c2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 2 * Block + i)));
            }
            crc = ShiftBlock(ShiftBlock((uint)c0) ^ (uint)c1) ^ (uint)c2;
            data = data[InterleavedChunk..];
        }
        ulong c = crc;
        while (data.Length >= 8)
        {
            c = Sse42.X64.Crc32(c, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        uint c32 = (uint)c;
        foreach (byte b in data) c32 = Sse42.Crc32(c32, b);
        return c32;
    }

    private static uint UpdateSse42(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 4)
        {
            crc = Sse42.Crc32(crc, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }
        foreach (byte b in data) crc = Sse42.Crc32(crc, b);
        return crc;
    }

    private static uint UpdateArm64(uint crc, ReadOnlySpan<byte> data)
    {
        while (data.Length >= InterleavedChunk)
        {
            ref byte p = ref MemoryMarshal.GetReference(data);
            uint c0 = crc, c1 = 0, c2 = 0;
            for (int i = 0; i < Block; i += 8)
            {
                c0 = Crc32.Arm64.ComputeCrc32C(c0, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, i)));
                c1 = Crc32.Arm64.ComputeCrc32C(c1, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, Block + i)));
                c2 = Crc32.Arm64.ComputeCrc32C(c2, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref p, 2 * Block + i)));
            }
            crc = ShiftBlock(ShiftBlock(c0) ^ c1) ^ c2;
            data = data[InterleavedChunk..];
        }
        while (data.Length >= 8)
        {
            crc = Crc32.Arm64.ComputeCrc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (byte b in data) crc = Crc32.ComputeCrc32C(crc, b);
        return crc;
    }

    /// <summary>
    /// The CRC-32C of A‖B from the CRC of A, the CRC of B and B's length, without reading either
    /// again: crc(A‖B) = crc(A)·x^(8·|B|) ⊕ crc(B) in GF(2)[x] mod the polynomial (the initial and
    /// final inversions cancel out). Costs about log2(|B|) polynomial products, so a producer can CRC
    /// its records while they are still in cache and add the header, written last, in front.
    /// </summary>
    public static uint Combine(uint crcA, uint crcB, long lengthB)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lengthB);
        return Multiply(PowerOfX(8 * lengthB), crcA) ^ crcB;
    }

    /// <summary>x^e mod the polynomial: the product of x^(2^k) for each bit k of e.</summary>
    private static uint PowerOfX(long e)
    {
        uint product = One;
        for (int k = 0; e != 0; e >>= 1, k++)
        {
            if ((e & 1) != 0) product = Multiply(XToTwoToThe[k], product);
        }
        return product;
    }

    // Bit-reflected polynomials: x^0 is the top bit, x^31 the lowest.
    private const uint One = 1u << 31;

    /// <summary>Entry k is x^(2^k) mod the polynomial, each the square of the one before (enough for any long length).</summary>
    private static readonly uint[] XToTwoToThe = BuildPowersOfX();

    private static uint[] BuildPowersOfX()
    {
        var powers = new uint[67];
        powers[0] = One >> 1; // x^1
        for (int k = 1; k < powers.Length; k++) powers[k] = Multiply(powers[k - 1], powers[k - 1]);
        return powers;
    }

    /// <summary>a·b mod the polynomial, both bit-reflected: shift-and-add, reducing b as it is multiplied by x.</summary>
    private static uint Multiply(uint a, uint b)
    {
        uint product = 0;
        for (uint bit = One; bit != 0; bit >>= 1)
        {
            if ((a & bit) != 0) product ^= b;
            b = (b & 1) != 0 ? (b >> 1) ^ Polynomial : b >> 1;
        }
        return product;
    }

    /// <summary>Portable fallback; public so tests can check it against the intrinsic paths.</summary>
    public static uint UpdateTable(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data)
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    /// <summary>The register after <see cref="Block"/> zero bytes, from four table lookups.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint ShiftBlock(uint crc)
    {
        ref uint t = ref MemoryMarshal.GetArrayDataReference(ShiftTables);
        return Unsafe.Add(ref t, (int)(crc & 0xFF)) ^ Unsafe.Add(ref t, 256 + (int)((crc >> 8) & 0xFF))
            ^ Unsafe.Add(ref t, 512 + (int)((crc >> 16) & 0xFF)) ^ Unsafe.Add(ref t, 768 + (int)(crc >> 24));
    }

    /// <summary>Entry 256·k + v: the register <c>v &lt;&lt; 8k</c> after <see cref="Block"/> zero bytes.</summary>
    private static uint[] BuildShiftTables()
    {
        var tables = new uint[4 * 256];
        Span<byte> zeros = stackalloc byte[Block];
        zeros.Clear();
        for (int k = 0; k < 4; k++)
        for (uint v = 0; v < 256; v++)
            tables[k * 256 + v] = UpdateTable(v << (8 * k), zeros); // the table path: needs neither these tables nor folding
        return tables;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
                c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
