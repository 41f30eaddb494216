using AkkaLog.Client;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Cli.Commands.Groups;

/// <summary>
/// Reads a consumer group member's assignment: the "consumer" protocol's bytes, an int16 version then
/// ConsumerProtocolAssignment (topics with partition lists, user data). Other protocols, or bytes
/// that do not parse (a newer version than we know), yield no partitions rather than an error:
/// describing a group must not fail on one odd member.
/// </summary>
internal static class AssignmentDecoder
{
    public static IReadOnlyList<TopicPartition> Decode(string protocolType, ReadOnlyMemory<byte> assignment)
    {
        if (protocolType != "consumer" || assignment.Length < 2) return [];
        try
        {
            var decoded = VersionedMessage.Decode<ConsumerProtocolAssignment>(assignment, ConsumerProtocolAssignment.HighestSupportedVersion, out _);
            return decoded.AssignedPartitions.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p))).ToList();
        }
        catch (Exception e) when (e is KafkaProtocolException or ArgumentException or IndexOutOfRangeException or InvalidOperationException)
        {
            return [];
        }
    }
}
