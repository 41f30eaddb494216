using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Metadata;

/// <summary>One partition as metadata describes it.</summary>
/// <param name="Index">Partition index.</param>
/// <param name="Leader">Leader node id, or -1 when there is none right now.</param>
/// <param name="LeaderEpoch">Leader epoch, or -1 if the broker did not say.</param>
/// <param name="Replicas">Replica node ids.</param>
/// <param name="Isr">In-sync replica node ids.</param>
/// <param name="Error">Partition-level error (LEADER_NOT_AVAILABLE during an election...).</param>
internal sealed record PartitionInfo(int Index, int Leader, int LeaderEpoch, int[] Replicas, int[] Isr, ErrorCode Error);

/// <summary>One topic as metadata describes it; <see cref="Partitions"/> is indexed by partition number.</summary>
internal sealed record TopicInfo(string Name, Guid TopicId, ErrorCode Error, bool IsInternal, PartitionInfo[] Partitions)
{
    /// <summary>Partitions that have a leader now: where a null-key record may go.</summary>
    public int[] Available { get; } = Partitions.Where(p => p.Leader >= 0).Select(p => p.Index).ToArray();
}

/// <summary>
/// An immutable snapshot of what the client knows about the cluster. Each refresh builds a new one
/// and swaps it in, so readers (the sender, partitioners) never lock and never see half an update.
/// </summary>
internal sealed class ClusterMetadata
{
    /// <summary>Before the first response.</summary>
    public static ClusterMetadata Empty { get; } = new(new Dictionary<int, BrokerAddress>(), -1, null,
        new Dictionary<string, TopicInfo>(StringComparer.Ordinal), 0);

    private ClusterMetadata(IReadOnlyDictionary<int, BrokerAddress> brokers, int controllerId, string? clusterId,
        IReadOnlyDictionary<string, TopicInfo> topics, long fetchedAtTicks)
    {
        Brokers = brokers;
        ControllerId = controllerId;
        ClusterId = clusterId;
        Topics = topics;
        FetchedAtTicks = fetchedAtTicks;
    }

    /// <summary>Brokers by node id.</summary>
    public IReadOnlyDictionary<int, BrokerAddress> Brokers { get; }

    /// <summary>The controller's node id (for KRaft clusters a broker that forwards to it), or -1.</summary>
    public int ControllerId { get; }

    /// <summary>The cluster id, if the broker reported one.</summary>
    public string? ClusterId { get; }

    /// <summary>Topics by name: only those asked for, not every topic in the cluster.</summary>
    public IReadOnlyDictionary<string, TopicInfo> Topics { get; }

    /// <summary>When the response arrived (Environment.TickCount64).</summary>
    public long FetchedAtTicks { get; }

    /// <summary>
    /// A new snapshot: brokers and controller from <paramref name="response"/>, its topics replacing
    /// ours, and, when <paramref name="keepOthers"/>, our other topics kept.
    /// </summary>
    public ClusterMetadata With(MetadataResponse response, bool keepOthers)
    {
        var brokers = response.Brokers.ToDictionary(b => b.NodeId, b => new BrokerAddress(b.Host, b.Port));
        var topics = keepOthers
            ? new Dictionary<string, TopicInfo>(Topics, StringComparer.Ordinal)
            : new Dictionary<string, TopicInfo>(StringComparer.Ordinal);
        foreach (var t in response.Topics)
        {
            if (t.Name is null) continue;
            var partitions = t.Partitions
                .Select(p => new PartitionInfo(p.PartitionIndex, p.LeaderId, p.LeaderEpoch, p.ReplicaNodes.ToArray(),
                    p.IsrNodes.ToArray(), ErrorCodes.Normalize(p.ErrorCode)))
                .OrderBy(p => p.Index)
                .ToArray();
            // A partition list with holes cannot be indexed by partition number; treat it as not ready.
            bool dense = partitions.Select((p, i) => p.Index == i).All(x => x);
            var error = ErrorCodes.Normalize(t.ErrorCode);
            if (!dense && error == ErrorCode.None) error = ErrorCode.LeaderNotAvailable;
            topics[t.Name] = new TopicInfo(t.Name, t.TopicId, error, t.IsInternal, dense ? partitions : []);
        }
        return new ClusterMetadata(brokers, response.ControllerId, response.ClusterId, topics, Environment.TickCount64);
    }

    /// <summary>The leader of <paramref name="topic"/>/<paramref name="partition"/>, or -1 if unknown.</summary>
    public int LeaderOf(string topic, int partition) =>
        Topics.TryGetValue(topic, out var t) && (uint)partition < (uint)t.Partitions.Length ? t.Partitions[partition].Leader : -1;
}
