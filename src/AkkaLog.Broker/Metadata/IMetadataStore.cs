namespace AkkaLog.Broker.Metadata;

/// <summary>
/// Where cluster metadata lives: the embedded single-node store, or (later) etcd. Writes are
/// serialized by the store; <see cref="Current"/> is always a complete, consistent image.
/// </summary>
public interface IMetadataStore : IAsyncDisposable
{
    /// <summary>The latest image.</summary>
    MetadataImage Current { get; }

    /// <summary>Loads persisted metadata (creating the cluster id on first start).</summary>
    ValueTask StartAsync(CancellationToken cancellationToken);

    /// <summary>Adds a topic; false if one with the name exists.</summary>
    ValueTask<bool> TryCreateTopicAsync(TopicMetadata topic, CancellationToken cancellationToken);

    /// <summary>Removes a topic; false if it does not exist.</summary>
    ValueTask<bool> TryDeleteTopicAsync(string name, CancellationToken cancellationToken);

    /// <summary>Replaces a topic's record (partition count or configs changed).</summary>
    ValueTask UpdateTopicAsync(TopicMetadata topic, CancellationToken cancellationToken);
}
