namespace AkkaLog.Client.Internal.Consumer.Assignors;

/// <summary>
/// Java's <c>RangeAssignor</c> (and librdkafka's "range"): per topic, the members subscribed to it in
/// member order each get a contiguous range; the first <c>partitions % members</c> get one extra.
/// Topics are independent, so with several topics the first members get more in total. Eager only.
/// </summary>
internal sealed class RangeAssignor : IPartitionAssignor
{
    public const string AssignorName = "range";

    public string Name => AssignorName;

    public RebalanceProtocol Protocol => RebalanceProtocol.Eager;

    public byte[]? SubscriptionUserData(int generationId) => null;

    public Dictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<MemberSubscription> members)
    {
        var assignment = PartitionAssignors.Empty(members);
        var sorted = members.ToList();
        sorted.Sort(PartitionAssignors.CompareMembers);
        var topics = members.SelectMany(m => m.Topics).Distinct(StringComparer.Ordinal).OrderBy(t => t, StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            if (!partitionsPerTopic.TryGetValue(topic, out int partitions) || partitions <= 0) continue;
            var consumers = sorted.Where(m => m.Topics.Contains(topic, StringComparer.Ordinal)).ToList();
            int perConsumer = partitions / consumers.Count;
            int extra = partitions % consumers.Count;
            for (int i = 0; i < consumers.Count; i++)
            {
                int start = perConsumer * i + Math.Min(i, extra);
                int length = perConsumer + (i + 1 > extra ? 0 : 1);
                var list = assignment[consumers[i].MemberId];
                for (int p = start; p < start + length; p++) list.Add(new TopicPartition(topic, p));
            }
        }
        return assignment;
    }
}
