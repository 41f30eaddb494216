using AkkaLog.Client.Admin;

namespace AkkaLog.Client;

/// <summary>
/// Manages topics, configs, records and consumer groups. Every call retries retriable errors (leader
/// or controller moved, coordinator loading, lost connection) until its timeout (options.Timeout or
/// default.api.timeout.ms). Calls that act on several items throw <see cref="KafkaAdminException"/>
/// listing each item's outcome when any failed. Thread-safe.
/// </summary>
public interface IAdminClient : IDisposable, IAsyncDisposable
{
    /// <summary>Creates topics.</summary>
    Task CreateTopicsAsync(IEnumerable<TopicSpecification> topics, AdminOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes topics by name.</summary>
    Task DeleteTopicsAsync(IEnumerable<string> topics, AdminOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Raises topics' partition counts.</summary>
    Task CreatePartitionsAsync(IEnumerable<PartitionsSpecification> partitions, AdminOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Describes the named topics (via Metadata); a missing topic throws <see cref="KafkaAdminException"/> (UNKNOWN_TOPIC_OR_PARTITION).</summary>
    Task<IReadOnlyList<TopicDescription>> DescribeTopicsAsync(IEnumerable<string> topics, AdminOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Lists topic names; internal topics only when <paramref name="includeInternal"/>.</summary>
    Task<IReadOnlyList<string>> ListTopicsAsync(bool includeInternal = false, AdminOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Describes configs of topics or brokers.</summary>
    Task<IReadOnlyList<DescribeConfigsResult>> DescribeConfigsAsync(IEnumerable<ConfigResource> resources, AdminOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Changes configs key by key (set, delete, append, subtract), leaving others alone.</summary>
    Task IncrementalAlterConfigsAsync(IReadOnlyDictionary<ConfigResource, IReadOnlyList<ConfigEntry>> changes, AdminOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Describes the cluster (DescribeCluster, or Metadata on brokers without it).</summary>
    Task<ClusterDescription> DescribeClusterAsync(AdminOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Deletes records before the given offsets (<see cref="Offset.End"/>: everything); returns each partition's new low watermark.</summary>
    Task<IReadOnlyList<DeleteRecordsResult>> DeleteRecordsAsync(IEnumerable<TopicPartitionOffset> before, AdminOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Lists the groups of every broker.</summary>
    Task<IReadOnlyList<GroupListing>> ListGroupsAsync(AdminOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Describes groups (each asked of its coordinator).</summary>
    Task<IReadOnlyList<GroupDescription>> DescribeGroupsAsync(IEnumerable<string> groups, AdminOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>Deletes empty groups and their committed offsets.</summary>
    Task DeleteGroupsAsync(IEnumerable<string> groups, AdminOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>A group's committed offsets: for <paramref name="partitions"/>, or all when null.</summary>
    Task<IReadOnlyList<TopicPartitionOffsetError>> ListConsumerGroupOffsetsAsync(string group, IEnumerable<TopicPartition>? partitions = null,
        AdminOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Sets a group's committed offsets (the group must have no active members, as in Kafka).</summary>
    Task AlterConsumerGroupOffsetsAsync(string group, IEnumerable<TopicPartitionOffset> offsets, AdminOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Moves partitions to new replica sets (a null list cancels that partition's move in progress).
    /// Returns each partition's outcome; the move itself continues in the background (see
    /// <see cref="ListPartitionReassignmentsAsync"/>). Throws only for errors of the whole call.
    /// </summary>
    Task<IReadOnlyList<TopicPartitionError>> AlterPartitionReassignmentsAsync(IReadOnlyDictionary<TopicPartition, IReadOnlyList<int>?> reassignments,
        AdminOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The partition moves in progress, of the given partitions or (null) of all.</summary>
    Task<IReadOnlyList<PartitionReassignment>> ListPartitionReassignmentsAsync(IEnumerable<TopicPartition>? partitions = null,
        AdminOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Elects leaders of the given partitions or (null) of every partition. Returns each partition's
    /// outcome: ELECTION_NOT_NEEDED where the wanted leader already leads. Throws only for errors of the whole call.
    /// </summary>
    Task<IReadOnlyList<TopicPartitionError>> ElectLeadersAsync(ElectionType type, IEnumerable<TopicPartition>? partitions = null,
        AdminOptions? options = null, CancellationToken cancellationToken = default);
}
