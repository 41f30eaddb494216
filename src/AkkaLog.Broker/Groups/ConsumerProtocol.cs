using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Groups;

/// <summary>
/// Reads what the broker needs from the "consumer" embedded protocol: the topics in a member's
/// subscription (the generated ConsumerProtocolSubscription in its versioned envelope). Used to refuse OffsetDelete on subscribed topics, to expire offsets of topics no member
/// reads any more, and to describe lag.
/// </summary>
public static class ConsumerProtocol
{
    /// <summary>The protocol type consumer groups use.</summary>
    public const string ProtocolType = "consumer";

    /// <summary>The subscribed topics, or an empty list if the bytes do not parse.</summary>
    public static IReadOnlyList<string> SubscribedTopics(ReadOnlyMemory<byte> subscription)
    {
        try
        {
            return VersionedMessage.Decode<ConsumerProtocolSubscription>(subscription, ConsumerProtocolSubscription.HighestSupportedVersion, out _).Topics;
        }
        catch (KafkaProtocolException)
        {
            return [];
        }
    }
}
