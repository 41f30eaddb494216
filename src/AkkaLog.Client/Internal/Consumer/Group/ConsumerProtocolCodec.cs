using System.Buffers.Binary;
using AkkaLog.Client.Internal.Consumer.Assignors;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Consumer.Group;

/// <summary>
/// The "consumer" protocol's payloads inside JoinGroup and SyncGroup, as the Java client and
/// librdkafka write them: an int16 version, then ConsumerProtocolSubscription or
/// ConsumerProtocolAssignment at that version. We write version 3 (Java's current) and read any
/// version, a newer one as the newest we know: later versions only append fields.
/// <code>
/// subscription: version int16 | topics [string] | userData bytes | ownedPartitions [topic string, partitions [int32]] (v1+)
///               | generationId int32 (v2+) | rackId nullable string (v3+)
/// assignment:   version int16 | assignedPartitions [topic string, partitions [int32]] | userData bytes
/// </code>
/// </summary>
internal static class ConsumerProtocolCodec
{
    public const string ProtocolType = "consumer";
    private const short Version = 3;

    public static byte[] EncodeSubscription(IReadOnlyList<string> topics, IReadOnlyCollection<TopicPartition> owned, int generationId, byte[]? userData)
    {
        var message = new ConsumerProtocolSubscription
        {
            Topics = topics.ToList(),
            // A null array converts to an empty (not null) ReadOnlyMemory; Java writes null (-1).
            UserData = userData is null ? default(ReadOnlyMemory<byte>?) : new ReadOnlyMemory<byte>(userData),
            OwnedPartitions = owned.GroupBy(tp => tp.Topic, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ConsumerProtocolSubscription.TopicPartition { Topic = g.Key, Partitions = g.Select(tp => tp.Partition.Value).Order().ToList() })
                .ToList(),
            GenerationId = generationId,
        };
        return Encode(message);
    }

    /// <summary>Decodes a member's subscription; throws <see cref="KafkaException"/> (INCONSISTENT_GROUP_PROTOCOL) when it does not parse.</summary>
    public static MemberSubscription DecodeSubscription(string memberId, string? groupInstanceId, ReadOnlyMemory<byte> data)
    {
        var message = Decode<ConsumerProtocolSubscription>(data, ConsumerProtocolSubscription.HighestSupportedVersion, out short version);
        int generation = message.GenerationId;
        // Before v2 the cooperative-sticky assignor kept the generation in its user data.
        if (version < 2 && message.UserData is { Length: 4 } user) generation = BinaryPrimitives.ReadInt32BigEndian(user.Span);
        var owned = message.OwnedPartitions.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p))).ToList();
        return new MemberSubscription(memberId, groupInstanceId, message.Topics, owned, generation);
    }

    public static byte[] EncodeAssignment(IEnumerable<TopicPartition> partitions)
    {
        var message = new ConsumerProtocolAssignment
        {
            AssignedPartitions = partitions.GroupBy(tp => tp.Topic, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new ConsumerProtocolAssignment.TopicPartition { Topic = g.Key, Partitions = g.Select(tp => tp.Partition.Value).Order().ToList() })
                .ToList(),
        };
        return Encode(message);
    }

    /// <summary>Decodes an assignment; an empty payload (a member the leader gave nothing) is an empty assignment.</summary>
    public static List<TopicPartition> DecodeAssignment(ReadOnlyMemory<byte> data)
    {
        if (data.IsEmpty) return [];
        var message = Decode<ConsumerProtocolAssignment>(data, ConsumerProtocolAssignment.HighestSupportedVersion, out _);
        return message.AssignedPartitions.SelectMany(t => t.Partitions.Select(p => new TopicPartition(t.Topic, p))).ToList();
    }

    private static byte[] Encode(IKafkaMessage message) => VersionedMessage.Encode(message, Version);

    private static T Decode<T>(ReadOnlyMemory<byte> data, short highest, out short version) where T : IKafkaMessage, new()
    {
        try
        {
            return VersionedMessage.Decode<T>(data, highest, out version);
        }
        catch (Exception e) when (e is KafkaProtocolException or ArgumentException or IndexOutOfRangeException)
        {
            throw new KafkaException(ErrorCode.InconsistentGroupProtocol, $"could not decode a {typeof(T).Name}: {e.Message}", e);
        }
    }
}
