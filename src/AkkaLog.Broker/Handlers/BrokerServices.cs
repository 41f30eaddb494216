using AkkaLog.Broker.Cluster;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Partitions;

namespace AkkaLog.Broker.Handlers;

/// <summary>What handlers share: configuration, this node, metadata, partitions and topic operations.</summary>
public sealed class BrokerServices(BrokerConfig config, BrokerNode node, IMetadataStore metadata, ReplicaManager replicas,
    TopicManager topics, GroupCoordinator groups, Controller controller, TimeProvider time)
{
    /// <summary>Broker configuration.</summary>
    public BrokerConfig Config => config;
    /// <summary>This broker.</summary>
    public BrokerNode Node => node;
    /// <summary>Cluster metadata.</summary>
    public IMetadataStore Metadata => metadata;
    /// <summary>Hosted partitions.</summary>
    public ReplicaManager Replicas => replicas;
    /// <summary>Topic operations.</summary>
    public TopicManager Topics => topics;
    /// <summary>Consumer groups and committed offsets.</summary>
    public GroupCoordinator Groups => groups;
    /// <summary>The clock.</summary>
    public TimeProvider Time => time;
    /// <summary>This broker's controller (active only on the elected broker).</summary>
    public Controller Controller => controller;
    /// <summary>Admin changes to partition states (reassignments, elections).</summary>
    public PartitionAdmin PartitionAdmin { get; } = new(metadata);
    /// <summary>Every live broker in the cluster, by id.</summary>
    public IReadOnlyList<BrokerNode> Brokers => metadata.Current.Brokers.Values.OrderBy(b => b.NodeId).ToList();
}
