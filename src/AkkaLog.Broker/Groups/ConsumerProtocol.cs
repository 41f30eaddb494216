using AkkaLog.Protocol;

namespace AkkaLog.Broker.Groups;

/// <summary>
/// Reads what the broker needs from the "consumer" embedded protocol: the topics in a member's
/// subscription (int16 version, then an array of topic names; later versions append fields we
/// skip). Used to refuse OffsetDelete on subscribed topics, to expire offsets of topics no member
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
            var r = new KafkaReader(subscription);
            r.ReadInt16();
            int count = r.ReadArrayLength();
            var topics = new List<string>(Math.Max(count, 0));
            for (int i = 0; i < count; i++) topics.Add(r.ReadString());
            return topics;
        }
        catch (KafkaProtocolException)
        {
            return [];
        }
    }
}
