using System.Buffers;
using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Compression;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Groups;

/// <summary>
/// Rebuilds group state by replaying a <c>__consumer_offsets</c> partition from its start to its
/// end: the last record for each key wins and a tombstone removes it, which is exactly what
/// compaction preserves, so a cleaned log loads the same state as an uncleaned one.
/// </summary>
internal static class OffsetsLoader
{
    /// <summary>Every group stored in the partition (or only <paramref name="onlyGroup"/>).</summary>
    public static Dictionary<string, GroupSnapshot> Load(Partition partition, string? onlyGroup = null)
    {
        var groups = new Dictionary<string, GroupSnapshot>(StringComparer.Ordinal);
        var decompressed = new ArrayBufferWriter<byte>();
        LogReplay.ForEachBatch(partition.Log, partition.Log.LogStartOffset, partition.Log.LogEndOffset, (batch, header) =>
        {
            if (!header.IsControl) Replay(groups, batch, header, decompressed, onlyGroup);
        });
        foreach (var empty in groups.Where(g => g.Value.IsEmpty).Select(g => g.Key).ToList()) groups.Remove(empty);
        return groups;
    }

    private static void Replay(Dictionary<string, GroupSnapshot> groups, ReadOnlyMemory<byte> batch, RecordBatchHeader header,
        ArrayBufferWriter<byte> decompressed, string? onlyGroup)
    {
        ReadOnlyMemory<byte> records = batch[RecordBatchHeader.Size..];
        if (header.Compression != CompressionCodec.None)
        {
            decompressed.ResetWrittenCount();
            CompressionCodecs.Decompress(header.Compression, records.Span, decompressed);
            records = decompressed.WrittenMemory;
        }
        var reader = new RecordReader(records.Span);
        while (reader.TryReadNext(out var record))
        {
            if (record.KeyIsNull) continue;
            var key = OffsetsTopicRecords.ReadKey(record.Key.ToArray());
            if (!key.IsOffset && !key.IsGroup) continue;
            if (onlyGroup is not null && key.Group != onlyGroup) continue;
            if (!groups.TryGetValue(key.Group, out var snapshot)) groups[key.Group] = snapshot = new GroupSnapshot();
            if (key.IsOffset)
            {
                if (record.ValueIsNull) snapshot.Offsets.Remove((key.Topic, key.Partition));
                else snapshot.Offsets[(key.Topic, key.Partition)] = OffsetsTopicRecords.ReadOffsetValue(record.Value.ToArray());
            }
            else
            {
                snapshot.Group = record.ValueIsNull ? null : OffsetsTopicRecords.ReadGroupValue(record.Value.ToArray());
                if (record.ValueIsNull) snapshot.Offsets.Clear(); // a deleted group takes its offsets with it
            }
        }
    }
}
