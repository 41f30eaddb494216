namespace AkkaLog.Client.Admin;

/// <summary>A topic to create.</summary>
public sealed class TopicSpecification
{
    /// <summary>Topic name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Partition count; -1 for the broker's num.partitions.</summary>
    public int NumPartitions { get; set; } = -1;

    /// <summary>Replication factor; -1 for the broker's default.replication.factor.</summary>
    public short ReplicationFactor { get; set; } = -1;

    /// <summary>Topic configs (e.g. <c>cleanup.policy</c>, <c>retention.ms</c>); null for none.</summary>
    public Dictionary<string, string>? Configs { get; set; }

    /// <summary>Explicit replica placement per partition (instead of counts); null to let the cluster place them.</summary>
    public Dictionary<int, List<int>>? ReplicasAssignments { get; set; }
}

/// <summary>Options for one admin call.</summary>
public sealed class AdminOptions
{
    /// <summary>Overall time for the call, retries included; null for default.api.timeout.ms.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Ask the broker to check the request without applying it (create topics/partitions, alter configs).</summary>
    public bool ValidateOnly { get; set; }
}

/// <summary>One partition of a described topic.</summary>
/// <param name="Partition">Partition index.</param>
/// <param name="Leader">Leader broker id, or -1.</param>
/// <param name="Replicas">Replica broker ids.</param>
/// <param name="InSyncReplicas">In-sync replica broker ids.</param>
/// <param name="Error">Partition-level error, if any.</param>
public sealed record TopicPartitionInfo(int Partition, int Leader, IReadOnlyList<int> Replicas, IReadOnlyList<int> InSyncReplicas, Error Error);

/// <summary>A topic as metadata describes it.</summary>
/// <param name="Name">Topic name.</param>
/// <param name="TopicId">Topic id (empty if the broker predates topic ids).</param>
/// <param name="IsInternal">True for internal topics such as <c>__consumer_offsets</c>.</param>
/// <param name="Partitions">Partitions in index order.</param>
/// <param name="Error">Topic-level error (UNKNOWN_TOPIC_OR_PARTITION for a missing topic).</param>
public sealed record TopicDescription(string Name, Guid TopicId, bool IsInternal, IReadOnlyList<TopicPartitionInfo> Partitions, Error Error);

/// <summary>New partition count for a topic (<see cref="IAdminClient.CreatePartitionsAsync"/>).</summary>
/// <param name="Topic">Topic name.</param>
/// <param name="IncreaseTo">The total partition count wanted.</param>
public sealed record PartitionsSpecification(string Topic, int IncreaseTo);

/// <summary>A broker as the cluster reports it.</summary>
/// <param name="Id">Node id.</param>
/// <param name="Host">Advertised host.</param>
/// <param name="Port">Advertised port.</param>
/// <param name="Rack">Rack, if configured.</param>
public sealed record BrokerInfo(int Id, string Host, int Port, string? Rack);

/// <summary>The cluster: id, controller and brokers.</summary>
/// <param name="ClusterId">Cluster id.</param>
/// <param name="ControllerId">Controller node id (-1 if unknown).</param>
/// <param name="Brokers">Live brokers.</param>
public sealed record ClusterDescription(string? ClusterId, int ControllerId, IReadOnlyList<BrokerInfo> Brokers);

/// <summary>A partition's new log start after DeleteRecords.</summary>
/// <param name="TopicPartition">The partition.</param>
/// <param name="LowWatermark">The new earliest offset.</param>
public sealed record DeleteRecordsResult(TopicPartition TopicPartition, Offset LowWatermark);

/// <summary>The outcome for one item of an admin call that can partly fail.</summary>
/// <param name="Item">What the item is (topic, group, resource or partition, as text).</param>
/// <param name="Error">Its error, or <see cref="Error.NoError"/>.</param>
public sealed record AdminItemResult(string Item, Error Error);

/// <summary>
/// An admin call some of whose items failed. <see cref="KafkaException.Error"/> is the first failure;
/// <see cref="Results"/> has every item, successes included.
/// </summary>
public sealed class KafkaAdminException : KafkaException
{
    /// <summary>Creates the exception from per-item outcomes.</summary>
    public KafkaAdminException(string operation, IReadOnlyList<AdminItemResult> results)
        : base(First(results).Error.Code, $"{operation} failed for {string.Join(", ", results.Where(r => r.Error.IsError).Select(r => $"'{r.Item}' ({r.Error})"))}") =>
        Results = results;

    /// <summary>Every item's outcome.</summary>
    public IReadOnlyList<AdminItemResult> Results { get; }

    private static AdminItemResult First(IReadOnlyList<AdminItemResult> results) => results.First(r => r.Error.IsError);
}
