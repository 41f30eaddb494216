namespace AkkaLog.Broker.Metadata;

/// <summary>
/// A change to one topic, computed from the topic as stored right now (see
/// <see cref="IMetadataStore.UpdateTopicAsync"/>): its replacement record and the initial states of
/// the partitions it adds.
/// </summary>
/// <param name="Topic">The new record (same name and id).</param>
/// <param name="AddedPartitions">Initial states of added partitions, by index (empty when none are added).</param>
public sealed record TopicChange(TopicMetadata Topic, IReadOnlyDictionary<int, PartitionState> AddedPartitions)
{
    private static readonly IReadOnlyDictionary<int, PartitionState> None = new Dictionary<int, PartitionState>();

    /// <summary>A change of the record only (configs).</summary>
    public static TopicChange Of(TopicMetadata topic) => new(topic, None);
}

/// <summary>How <see cref="IMetadataStore.UpdateTopicAsync"/> ended.</summary>
public enum TopicUpdateStatus
{
    /// <summary>The change was written.</summary>
    Updated,
    /// <summary>No topic of that name exists.</summary>
    NotFound,
    /// <summary>The change function declined (returned null) on the latest record: nothing was written.</summary>
    Declined,
    /// <summary>Other writers kept changing the topic first; nothing was written after every attempt.</summary>
    Conflict,
}
