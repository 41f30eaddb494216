namespace AkkaLog.Broker.Metadata;

/// <summary>A topic as the cluster knows it: id, partition count and topic-level config overrides.</summary>
/// <param name="Name">Topic name.</param>
/// <param name="Id">Topic id (KIP-516), stable for the topic's life.</param>
/// <param name="PartitionCount">Number of partitions, 0..N-1.</param>
/// <param name="Configs">Topic-level overrides (keys as in <c>TopicConfigKeys</c>).</param>
public sealed record TopicMetadata(string Name, Guid Id, int PartitionCount, IReadOnlyDictionary<string, string> Configs);
