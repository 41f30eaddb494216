using System.Collections.Frozen;

namespace AkkaLog.Broker.Metadata;

/// <summary>
/// An immutable snapshot of cluster metadata. Handlers read the current image without locks; the
/// store publishes a new image on every change.
/// </summary>
public sealed class MetadataImage
{
    /// <summary>An image with no topics.</summary>
    public static MetadataImage Empty(string clusterId) => new(clusterId, []);

    /// <summary>Creates an image of the given topics.</summary>
    public MetadataImage(string clusterId, IEnumerable<TopicMetadata> topics)
    {
        ClusterId = clusterId;
        TopicsByName = topics.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);
        TopicsById = TopicsByName.Values.ToFrozenDictionary(t => t.Id);
    }

    /// <summary>The cluster's id.</summary>
    public string ClusterId { get; }
    /// <summary>Topics by name.</summary>
    public FrozenDictionary<string, TopicMetadata> TopicsByName { get; }
    /// <summary>Topics by id.</summary>
    public FrozenDictionary<Guid, TopicMetadata> TopicsById { get; }

    /// <summary>Looks a topic up by name.</summary>
    public bool TryGetTopic(string name, out TopicMetadata topic) => TopicsByName.TryGetValue(name, out topic!);

    /// <summary>A new image with <paramref name="topic"/> added or replaced.</summary>
    public MetadataImage With(TopicMetadata topic) =>
        new(ClusterId, TopicsByName.Values.Where(t => t.Name != topic.Name).Append(topic));

    /// <summary>A new image without the named topic.</summary>
    public MetadataImage Without(string name) => new(ClusterId, TopicsByName.Values.Where(t => t.Name != name));
}
