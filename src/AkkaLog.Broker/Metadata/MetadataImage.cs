using System.Collections.Frozen;
using AkkaLog.Broker.Handlers;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Metadata;

/// <summary>
/// An immutable snapshot of cluster metadata: topics, the replication state of every partition, the
/// live brokers and the controller. Handlers read the current image without locks; the store
/// publishes a new image on every change.
/// </summary>
public sealed class MetadataImage
{
    /// <summary>An image with no topics, brokers or controller.</summary>
    public static MetadataImage Empty(string clusterId) => new(clusterId, [], [], [], -1, 0);

    /// <summary>Creates an image.</summary>
    public MetadataImage(string clusterId, IEnumerable<TopicMetadata> topics, IEnumerable<KeyValuePair<TopicPartition, PartitionState>> partitions,
        IEnumerable<BrokerNode> brokers, int controllerId, long controllerEpoch)
    {
        ClusterId = clusterId;
        TopicsByName = topics.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        TopicsById = TopicsByName.Values.ToFrozenDictionary(t => t.Id);
        Partitions = partitions.ToFrozenDictionary();
        Brokers = brokers.ToFrozenDictionary(b => b.NodeId);
        ControllerId = controllerId;
        ControllerEpoch = controllerEpoch;
    }

    /// <summary>The cluster's id.</summary>
    public string ClusterId { get; }
    /// <summary>Topics by name.</summary>
    public FrozenDictionary<string, TopicMetadata> TopicsByName { get; }
    /// <summary>Topics by id.</summary>
    public FrozenDictionary<Guid, TopicMetadata> TopicsById { get; }
    /// <summary>Replication state of every partition of every topic.</summary>
    public FrozenDictionary<TopicPartition, PartitionState> Partitions { get; }
    /// <summary>Live (registered) brokers by id.</summary>
    public FrozenDictionary<int, BrokerNode> Brokers { get; }
    /// <summary>The controller's node id, or -1 while there is none.</summary>
    public int ControllerId { get; }
    /// <summary>The controller's term (etcd: create revision of its key); controller writes are fenced by it.</summary>
    public long ControllerEpoch { get; }

    /// <summary>Looks a topic up by name.</summary>
    public bool TryGetTopic(string name, out TopicMetadata topic) => TopicsByName.TryGetValue(name, out topic!);

    /// <summary>The state of a partition, or null.</summary>
    public PartitionState? PartitionStateOf(string topic, int partition) =>
        Partitions.TryGetValue(new TopicPartition(topic, partition), out var state) ? state : null;

    /// <summary>A copy with other topics and partitions (brokers and controller kept).</summary>
    public MetadataImage WithTopics(IEnumerable<TopicMetadata> topics, IEnumerable<KeyValuePair<TopicPartition, PartitionState>> partitions) =>
        new(ClusterId, topics, partitions, Brokers.Values, ControllerId, ControllerEpoch);

    /// <summary>A copy with other brokers and controller.</summary>
    public MetadataImage WithMembership(IEnumerable<BrokerNode> brokers, int controllerId, long controllerEpoch) =>
        new(ClusterId, TopicsByName.Values, Partitions, brokers, controllerId, controllerEpoch);
}
