using AkkaLog.Broker.Handlers;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Metadata;

/// <summary>
/// Where cluster metadata lives: the embedded single-node store (<see cref="EmbeddedMetadataStore"/>)
/// or etcd (<see cref="Cluster.EtcdMetadataStore"/>). The broker runs one code path over either.
/// <see cref="Current"/> is always a complete, consistent image; after a write returns,
/// <see cref="Current"/> includes it. Partition state changes are compare-and-swaps on
/// <see cref="PartitionState.Version"/>, so two writers (a leader changing its ISR, the controller
/// electing a leader) never overwrite each other blindly.
/// </summary>
public interface IMetadataStore : IAsyncDisposable
{
    /// <summary>The latest image.</summary>
    MetadataImage Current { get; }

    /// <summary>
    /// Raised after <see cref="Current"/> changed, with the new image, one call at a time (on the
    /// store's thread: handlers queue work rather than block).
    /// </summary>
    event Action<MetadataImage>? Changed;

    /// <summary>Loads persisted metadata (creating the cluster id on first start) and starts following changes.</summary>
    ValueTask StartAsync(CancellationToken cancellationToken);

    /// <summary>Makes this broker live in the cluster (etcd: a key under its lease).</summary>
    ValueTask RegisterBrokerAsync(BrokerNode self, CancellationToken cancellationToken);

    /// <summary>Tries to become the controller; true if this broker is (or already was) the controller.</summary>
    ValueTask<bool> TryBecomeControllerAsync(CancellationToken cancellationToken);

    /// <summary>Adds a topic with the initial state of each partition; false if one with the name exists.</summary>
    ValueTask<bool> TryCreateTopicAsync(TopicMetadata topic, IReadOnlyList<PartitionState> partitions, CancellationToken cancellationToken);

    /// <summary>Removes a topic and its partition states; false if it does not exist.</summary>
    ValueTask<bool> TryDeleteTopicAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a topic's record (configs, or partitions added with their initial states) by
    /// compare-and-swap: <paramref name="change"/> is given the topic as stored now and returns the
    /// replacement, or null to write nothing. When another writer changed the topic in between (AlterConfigs
    /// racing CreatePartitions, two AlterConfigs), it is called again on the newer record, so neither change
    /// is lost; after <see cref="MaxTopicUpdateAttempts"/> lost races the result is
    /// <see cref="TopicUpdateStatus.Conflict"/>. <paramref name="change"/> must be a pure function of its argument.
    /// </summary>
    ValueTask<TopicUpdateStatus> UpdateTopicAsync(string name, Func<TopicMetadata, TopicChange?> change, CancellationToken cancellationToken);

    /// <summary>How many times <see cref="UpdateTopicAsync"/> tries before giving up on a contended topic.</summary>
    public const int MaxTopicUpdateAttempts = 10;

    /// <summary>
    /// Replaces a partition's state if it is still at <paramref name="expected"/>'s version; false if
    /// someone changed it first (or, with <paramref name="asController"/>, this broker is no longer
    /// the controller). The caller learns the winning state from <see cref="Current"/>.
    /// </summary>
    ValueTask<bool> TryUpdatePartitionAsync(TopicPartition partition, PartitionState expected, PartitionState next, bool asController,
        CancellationToken cancellationToken);
}
