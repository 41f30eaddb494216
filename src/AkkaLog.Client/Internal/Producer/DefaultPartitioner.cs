using AkkaLog.Protocol.Partitioning;
using AkkaLog.Client.Internal.Metadata;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// Chooses partitions for records that do not name one. Keyed records: Java's murmur2 over all
/// partitions (available or not, so a key never moves while a leader is being elected). Null keys,
/// <see cref="Partitioner.Murmur2"/>: sticky, as Java's built-in partitioner (KIP-480/KIP-794) — every
/// null-key record goes to one partition until about batch.size bytes went there, then a random
/// other partition with a leader is chosen; that fills batches instead of spreading tiny ones.
/// (Java may re-pick the same partition; this one always moves on when it can, and does not weigh
/// partitions by queue length as Java's adaptive mode does.) <see cref="Partitioner.Murmur2Random"/>:
/// a random available partition per null-key record, as librdkafka's murmur2_random. Thread-safe.
/// </summary>
internal sealed class DefaultPartitioner(Partitioner mode, int stickyBatchSize)
{
    private readonly Dictionary<string, StickyPartition> _sticky = new(StringComparer.Ordinal);
    private readonly Lock _stickyLock = new();

    /// <summary>The partition for a record of <paramref name="recordBytes"/> bytes with <paramref name="key"/> (null when <paramref name="keyIsNull"/>).</summary>
    public int Partition(TopicInfo topic, ReadOnlySpan<byte> key, bool keyIsNull, int recordBytes)
    {
        if (!keyIsNull) return Murmur2.Partition(key, topic.Partitions.Length);
        var sticky = StickyFor(topic.Name);
        lock (sticky) return Partition(topic, key, keyIsNull, recordBytes, sticky);
    }

    /// <summary>
    /// As <see cref="Partition(TopicInfo, ReadOnlySpan{byte}, bool, int)"/>, for a caller that kept the
    /// topic's <see cref="StickyPartition"/> (from <see cref="StickyFor"/>): no lookup by name per record.
    /// The caller serializes the calls for one topic (the producer appends to a topic under its gate's lock),
    /// so this takes no lock of its own.
    /// </summary>
    public int Partition(TopicInfo topic, ReadOnlySpan<byte> key, bool keyIsNull, int recordBytes, StickyPartition sticky)
    {
        if (!keyIsNull) return Murmur2.Partition(key, topic.Partitions.Length);
        if (mode == Partitioner.Murmur2Random) return RandomAvailable(topic, -1);
        if (sticky.Current < 0 || sticky.Bytes >= stickyBatchSize || (uint)sticky.Current >= (uint)topic.Partitions.Length
            || topic.Partitions[sticky.Current].Leader < 0)
        {
            sticky.Current = RandomAvailable(topic, sticky.Current);
            sticky.Bytes = 0;
        }
        sticky.Bytes += recordBytes;
        return sticky.Current;
    }

    /// <summary>The topic's sticky state (one per topic per producer).</summary>
    public StickyPartition StickyFor(string topic)
    {
        lock (_stickyLock)
        {
            if (!_sticky.TryGetValue(topic, out var s)) _sticky[topic] = s = new StickyPartition();
            return s;
        }
    }

    private static int RandomAvailable(TopicInfo topic, int avoid)
    {
        var available = topic.Available;
        if (available.Length == 0) return Random.Shared.Next(topic.Partitions.Length);
        if (available.Length == 1) return available[0];
        while (true)
        {
            int p = available[Random.Shared.Next(available.Length)];
            if (p != avoid) return p;
        }
    }

    /// <summary>Where a topic's null-key records go now, and how many bytes went there; one caller at a time.</summary>
    internal sealed class StickyPartition
    {
        public int Current = -1;
        public int Bytes;
    }
}
