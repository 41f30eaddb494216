namespace AkkaLog.Protocol.Records;

/// <summary>Zigzag varints as records use them (unlike the protocol's unsigned varints).</summary>
public static class ZigZag
{
    /// <summary>Reads a zigzag varint (up to 5 bytes); returns false if the input ends or overflows.</summary>
    public static bool TryReadInt32(ReadOnlySpan<byte> data, scoped ref int position, out int value)
    {
        uint result = 0;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if ((uint)position >= (uint)data.Length) { value = 0; return false; }
            byte b = data[position++];
            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                value = (int)(result >> 1) ^ -(int)(result & 1);
                return true;
            }
        }
        value = 0;
        return false;
    }

    /// <summary>Reads a zigzag varlong (up to 10 bytes); returns false if the input ends or overflows.</summary>
    public static bool TryReadInt64(ReadOnlySpan<byte> data, scoped ref int position, out long value)
    {
        ulong result = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if ((uint)position >= (uint)data.Length) { value = 0; return false; }
            byte b = data[position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                value = (long)(result >> 1) ^ -(long)(result & 1);
                return true;
            }
        }
        value = 0;
        return false;
    }

    /// <summary>Writes a zigzag varint and returns the bytes written.</summary>
    public static int WriteInt32(Span<byte> destination, int value) => WriteUnsigned(destination, (uint)((value << 1) ^ (value >> 31)));

    /// <summary>Writes a zigzag varlong and returns the bytes written.</summary>
    public static int WriteInt64(Span<byte> destination, long value)
    {
        ulong v = (ulong)((value << 1) ^ (value >> 63));
        int i = 0;
        while (v >= 0x80) { destination[i++] = (byte)(v | 0x80); v >>= 7; }
        destination[i++] = (byte)v;
        return i;
    }

    /// <summary>Encoded size of a zigzag varint.</summary>
    public static int SizeOfInt32(int value) => SizeOfUnsigned((uint)((value << 1) ^ (value >> 31)));

    /// <summary>Encoded size of a zigzag varlong.</summary>
    public static int SizeOfInt64(long value)
    {
        ulong v = (ulong)((value << 1) ^ (value >> 63));
        int n = 1;
        while (v >= 0x80) { n++; v >>= 7; }
        return n;
    }

    private static int WriteUnsigned(Span<byte> destination, uint v)
    {
        int i = 0;
        while (v >= 0x80) { destination[i++] = (byte)(v | 0x80); v >>= 7; }
        destination[i++] = (byte)v;
        return i;
    }

    private static int SizeOfUnsigned(uint v)
    {
        int n = 1;
        while (v >= 0x80) { n++; v >>= 7; }
        return n;
    }
}
