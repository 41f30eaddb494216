using AkkaLog.Broker.Partitions;

namespace AkkaLog.Broker.Groups;

/// <summary>One partition's consumer lag: how far the group's committed offset is behind the log end.</summary>
public sealed record PartitionLag(string Topic, int Partition, long CommittedOffset, long LogEndOffset, long Lag);

/// <summary>
/// Consumer lag per group and partition, as <c>kafka-consumer-groups --describe</c> computes it:
/// log end offset (the high watermark, what a consumer can reach) minus the committed offset.
/// Partitions of subscribed topics with nothing committed count from the log start offset.
/// </summary>
public static class GroupLag
{
    /// <summary>The group's lag per partition, or null if the group does not exist.</summary>
    public static async Task<IReadOnlyList<PartitionLag>?> DescribeAsync(GroupCoordinator groups, ReplicaManager replicas, string groupId)
    {
        if (!groups.Exists(groupId)) return null;
        var committed = await groups.AskAsync(groupId, create: false,
            reply => new GroupMessage.FetchOffsets(null, reply), (IReadOnlyList<(string Topic, int Partition, CommittedOffset? Offset)>)[]);
        var description = await groups.AskAsync(groupId, create: false, reply => new GroupMessage.Describe(reply),
            new GroupDescription(GroupState.Dead, "", "", []));
        var rows = new Dictionary<(string, int), PartitionLag>();
        foreach (var (topic, partition, offset) in committed)
        {
            if (offset is null || !replicas.TryGetPartition(topic, partition, out var p)) continue;
            long end = p.HighWatermark;
            rows[(topic, partition)] = new PartitionLag(topic, partition, offset.Offset, end, Math.Max(0, end - offset.Offset));
        }
        if (description.ProtocolType == ConsumerProtocol.ProtocolType)
        {
            // Subscribed partitions with no commit yet: the whole log is still to be read.
            foreach (var topic in description.Members.SelectMany(m => ConsumerProtocol.SubscribedTopics(m.Metadata)).Distinct())
                foreach (var p in replicas.Partitions.Where(p => p.Id.Topic == topic))
                    rows.TryAdd((topic, p.Id.Partition), new PartitionLag(topic, p.Id.Partition, -1, p.HighWatermark, p.HighWatermark - p.Log.LogStartOffset));
        }
        return rows.Values.OrderBy(r => r.Topic, StringComparer.Ordinal).ThenBy(r => r.Partition).ToList();
    }
}
