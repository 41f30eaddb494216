namespace AkkaLog.Client.Internal.Consumer.Assignors;

/// <summary>
/// Java's <c>RoundRobinAssignor</c> (and librdkafka's "roundrobin"): every partition of every subscribed
/// topic, sorted by topic then partition, is dealt in turn to the members in member order, skipping a
/// member not subscribed to the partition's topic. Eager only.
/// </summary>
internal sealed class RoundRobinAssignor : IPartitionAssignor
{
    public const string AssignorName = "roundrobin";

    public string Name => AssignorName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public byte[]? SubscriptionUserData(int generationId) => null;

    public Dictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<MemberSubscription> members)
    {
        var assignment = PartitionAssignors.Empty(members);
        if (members.Count == 0) return assignment;
        var sorted = members.ToList();
        sorted.Sort(PartitionAssignors.CompareMembers);
        int next = 0;
        var topics = members.SelectMany(m => m.Topics).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            if (!partitionsPerTopic.TryGetValue(topic, out int partitions)) continue;
            for (int p = 0; p < partitions; p++)
            {
                // Some member subscribes to the topic (it is in the union), so this ends.
                while (!sorted[next].Topics.Contains(topic, StringComparer.Ordinal)) next = (next + 1) % sorted.Count;
                assignment[sorted[next].MemberId].Add(new TopicPartition(topic, p));
                next = (next + 1) % sorted.Count;
            }
        }
        return assignment;
    }
}
