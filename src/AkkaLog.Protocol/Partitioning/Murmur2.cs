namespace AkkaLog.Protocol.Partitioning;

/// <summary>
/// Kafka's Java murmur2 (<c>Utils.murmur2</c>): seed 0x9747b28c, little-endian 4-byte words, 32-bit
/// wrap-around. The Java client (and librdkafka's <c>murmur2</c>/<c>murmur2_random</c> partitioners)
/// pick a keyed record's partition as <c>(murmur2(key) &amp; 0x7fffffff) % partitions</c>, so using the
/// same function here keeps keys on the same partitions whichever client wrote them.
/// </summary>
public static class Murmur2
{
    /// <summary>The hash; Java returns it as a signed int, this is the same 32 bits.</summary>
    public static uint Hash(ReadOnlySpan<byte> data)
    {
        const uint m = 0x5bd1e995;
        const int r = 24;
        int length = data.Length;
        uint h = 0x9747b28c ^ (uint)length;
        int words = length / 4;
        for (int i = 0; i < words; i++)
        {
            int o = i * 4;
            uint k = data[o] | (uint)data[o + 1] << 8 | (uint)data[o + 2] << 16 | (uint)data[o + 3] << 24;
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = words * 4;
        switch (length % 4)
        {
            case 3: h ^= (uint)data[tail + 2] << 16; goto case 2;
            case 2: h ^= (uint)data[tail + 1] << 8; goto case 1;
            case 1: h ^= data[tail]; h *= m; break;
        }
        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return h;
    }

    /// <summary>The partition the Java client picks for <paramref name="key"/> among <paramref name="partitions"/>.</summary>
    public static int Partition(ReadOnlySpan<byte> key, int partitions) => (int)((Hash(key) & 0x7fffffff) % (uint)partitions);
}
