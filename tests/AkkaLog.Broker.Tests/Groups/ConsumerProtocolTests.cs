using AkkaLog.Broker.Groups;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Tests.Groups;

/// <summary>The broker reads subscribed topics out of "consumer" protocol metadata, whatever its version, and survives garbage.</summary>
public sealed class ConsumerProtocolTests
{
    private static byte[] Subscription(short version, params string[] topics)
    {
        using var w = new KafkaWriter(64);
        w.WriteInt16(version);
        var subscription = new ConsumerProtocolSubscription { Topics = [.. topics], UserData = new byte[] { 1, 2, 3 } };
        if (version >= 1)
            subscription.OwnedPartitions.Add(new ConsumerProtocolSubscription.TopicPartition { Topic = topics[0], Partitions = [0, 1] });
        if (version >= 2) subscription.GenerationId = 7;
        if (version >= 3) subscription.RackId = "rack-a";
        subscription.Write(w, version);
        return w.ToArray();
    }

    [Theory]
    [InlineData((short)0)]
    [InlineData((short)1)]
    [InlineData((short)2)]
    [InlineData((short)3)]
    public void Reads_the_topics_of_every_subscription_version(short version) =>
        Assert.Equal(["orders", "payments"], ConsumerProtocol.SubscribedTopics(Subscription(version, "orders", "payments")));

    [Fact]
    public void Exact_bytes_of_a_version_0_subscription()
    {
        // int16 version 0 | int32 topic count 1 | int16 length 1, "t" | int32 user data length -1 (null)
        byte[] bytes = [0, 0, 0, 0, 0, 1, 0, 1, (byte)'t', 0xFF, 0xFF, 0xFF, 0xFF];
        Assert.Equal(["t"], ConsumerProtocol.SubscribedTopics(bytes));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 9, 0, 5, (byte)'a' })] // 9 topics announced, one truncated name
    [InlineData(new byte[] { 0 })]
    [InlineData(new byte[] { 0, 0, 0x7F, 0xFF, 0xFF, 0xFF })] // int.MaxValue topics: refused, not allocated
    public void Unparseable_metadata_has_no_topics(byte[] bytes) =>
        Assert.Empty(ConsumerProtocol.SubscribedTopics(bytes));
}
