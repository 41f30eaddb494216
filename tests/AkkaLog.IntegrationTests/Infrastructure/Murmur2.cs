namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>Kafka's Java murmur2 (Utils.murmur2) and the keyed partition choice built on it.</summary>
public static class Murmur2
{
    /// <summary>murmur2 with seed 0x9747b28c over <paramref name="data"/>, little-endian words, 32-bit wrap.</summary>
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

    /// <summary>(murmur2(key) &amp; 0x7fffffff) % partitions, as the Java client and librdkafka's murmur2_random do.</summary>
    public static int Partition(ReadOnlySpan<byte> key, int partitions) => (int)((Hash(key) & 0x7fffffff) % (uint)partitions);
}
