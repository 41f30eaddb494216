namespace AkkaLog.Client.Internal.Consumer.Assignors;

/// <summary>How partitions change hands in a rebalance.</summary>
internal enum RebalanceProtocol
{
    /// <summary>Every member gives up all its partitions before rejoining (range, roundrobin).</summary>
    Eager,
    /// <summary>Members keep their partitions while rejoining and give up only those that move; a moved partition is assigned in a second rebalance (KIP-429).</summary>
    Cooperative,
}

/// <summary>One member's subscription as the group leader sees it in JoinGroup (decoded ConsumerProtocolSubscription).</summary>
/// <param name="MemberId">Member id.</param>
/// <param name="GroupInstanceId">Static membership id, if any.</param>
/// <param name="Topics">Subscribed topics.</param>
/// <param name="OwnedPartitions">Partitions the member holds now (v1+; cooperative members keep them through the rebalance).</param>
/// <param name="GenerationId">The generation in which it got them (v2+, or the cooperative-sticky user data), -1 if unknown.</param>
internal sealed record MemberSubscription(string MemberId, string? GroupInstanceId, IReadOnlyList<string> Topics,
    IReadOnlyList<TopicPartition> OwnedPartitions, int GenerationId = -1);

/// <summary>
/// A client-side partition assignor, run by the group leader: given every member's subscription and
/// the partition count of each topic, decides who reads what. Pure and deterministic, so every test
/// can give it inputs and check the output; names match the Java client's, so a leader of any client
/// (Java, librdkafka, ours) produces the same assignment for the same protocol.
/// </summary>
internal interface IPartitionAssignor
{
    /// <summary>The protocol name in JoinGroup (range, roundrobin, cooperative-sticky).</summary>
    string Name { get; }

    /// <summary>The rebalance protocol the assignor supports besides eager.</summary>
    RebalanceProtocol Protocol { get; }

    /// <summary>Assignor-specific user data for the subscription, or null.</summary>
    byte[]? SubscriptionUserData(int generationId);

    /// <summary>Partitions per member id (every member present, possibly with an empty list).</summary>
    Dictionary<string, List<TopicPartition>> Assign(IReadOnlyDictionary<string, int> partitionsPerTopic, IReadOnlyList<MemberSubscription> members);
}

/// <summary>The assignors by name, and the member order the Java assignors share.</summary>
internal static class PartitionAssignors
{
    /// <summary>The assignor called <paramref name="name"/>; throws <see cref="ArgumentException"/> for an unknown one.</summary>
    public static IPartitionAssignor Create(string name) => name switch
    {
        RangeAssignor.AssignorName => new RangeAssignor(),
        RoundRobinAssignor.AssignorName => new RoundRobinAssignor(),
        CooperativeStickyAssignor.AssignorName => new CooperativeStickyAssignor(),
        _ => throw new ArgumentException($"unknown partition assignor '{name}'", "partition.assignment.strategy"),
    };

    /// <summary>
    /// Java's <c>MemberInfo</c> order: static members first, by instance id; then dynamic ones by member id
    /// (ordinal, as Java's String.compareTo).
    /// </summary>
    public static int CompareMembers(MemberSubscription a, MemberSubscription b)
    {
        if (a.GroupInstanceId is not null && b.GroupInstanceId is not null)
            return string.CompareOrdinal(a.GroupInstanceId, b.GroupInstanceId);
        if (a.GroupInstanceId is not null) return -1;
        if (b.GroupInstanceId is not null) return 1;
        return string.CompareOrdinal(a.MemberId, b.MemberId);
    }

    /// <summary>An empty assignment with every member in it.</summary>
    public static Dictionary<string, List<TopicPartition>> Empty(IReadOnlyList<MemberSubscription> members) =>
        members.ToDictionary(m => m.MemberId, _ => new List<TopicPartition>(), StringComparer.Ordinal);
}
