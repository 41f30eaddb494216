using AkkaLog.Client.Internal.Metadata;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Tests.Unit;

/// <summary>Builds metadata snapshots the way a broker's Metadata response would.</summary>
internal static class TestMetadata
{
    /// <summary>One broker (node 1) leading every partition of <paramref name="topic"/> except those in <paramref name="leaderless"/>.</summary>
    public static ClusterMetadata Cluster(string topic, int partitions, params int[] leaderless) => Cluster(topic, partitions, 1, leaderless);

    /// <summary>As above with <paramref name="leader"/> (also a known broker) leading.</summary>
    public static ClusterMetadata Cluster(string topic, int partitions, int leader, params int[] leaderless)
    {
        var response = new MetadataResponse
        {
            Brokers = [new MetadataResponse.MetadataResponseBroker { NodeId = leader, Host = "127.0.0.1", Port = 9092 }],
            ControllerId = 1,
            Topics =
            [
                new MetadataResponse.MetadataResponseTopic
                {
                    Name = topic,
                    Partitions = Enumerable.Range(0, partitions).Select(p => new MetadataResponse.MetadataResponsePartition
                    {
                        PartitionIndex = p, LeaderId = leaderless.Contains(p) ? -1 : leader, ReplicaNodes = [leader], IsrNodes = [leader],
                    }).ToList(),
                },
            ],
        };
        return ClusterMetadata.Empty.With(response, keepOthers: false);
    }

    public static TopicInfo Topic(string topic, int partitions, params int[] leaderless) => Cluster(topic, partitions, leaderless).Topics[topic];
}
