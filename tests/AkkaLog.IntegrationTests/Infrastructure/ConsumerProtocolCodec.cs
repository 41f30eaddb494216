using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>
/// The "consumer" embedded protocol as clients put it in JoinGroup metadata and SyncGroup
/// assignments: an int16 version, then the ConsumerProtocolSubscription / ConsumerProtocolAssignment
/// body at that version.
/// </summary>
public static class ConsumerProtocolCodec
{
    /// <summary>The protocol type of consumer groups.</summary>
    public const string ProtocolType = "consumer";

    /// <summary>A version-0 subscription to <paramref name="topics"/>.</summary>
    public static byte[] Subscription(params string[] topics)
    {
        return VersionedMessage.Encode(new ConsumerProtocolSubscription { Topics = [.. topics] }, 0);
    }

    /// <summary>A version-0 assignment of <paramref name="partitions"/> of one topic.</summary>
    public static byte[] Assignment(string topic, params int[] partitions)
    {
        var assignment = new ConsumerProtocolAssignment();
        if (partitions.Length > 0)
            assignment.AssignedPartitions.Add(new ConsumerProtocolAssignment.TopicPartition { Topic = topic, Partitions = [.. partitions] });
        return VersionedMessage.Encode(assignment, 0);
    }

    /// <summary>The partitions in an assignment (empty for an empty byte string).</summary>
    public static List<(string Topic, int Partition)> DecodeAssignment(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length == 0) return [];
        var assignment = VersionedMessage.Decode<ConsumerProtocolAssignment>(bytes, ConsumerProtocolAssignment.HighestSupportedVersion, out _);
        return assignment.AssignedPartitions.SelectMany(t => t.Partitions.Select(p => (t.Topic, p))).ToList();
    }
}
