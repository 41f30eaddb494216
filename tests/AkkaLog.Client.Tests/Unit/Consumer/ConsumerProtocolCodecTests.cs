using AkkaLog.Client.Internal.Consumer.Group;

namespace AkkaLog.Client.Tests.Unit.Consumer;

/// <summary>The JoinGroup/SyncGroup payloads in the layout the Java client and librdkafka use.</summary>
public sealed class ConsumerProtocolCodecTests
{
    [Fact]
    public void Subscription_round_trips_and_matches_the_java_layout()
    {
        var bytes = ConsumerProtocolCodec.EncodeSubscription(["t"], [new TopicPartition("t", 1)], 7, null);
        // version 3 | topics [1: "t"] | userData null | owned [1: "t" [1: 1]] | generation 7 | rack null
        byte[] expected =
        [
            0, 3, 0, 0, 0, 1, 0, 1, (byte)'t', 0xFF, 0xFF, 0xFF, 0xFF,
            0, 0, 0, 1, 0, 1, (byte)'t', 0, 0, 0, 1, 0, 0, 0, 1,
            0, 0, 0, 7, 0xFF, 0xFF,
        ];
        Assert.Equal(expected, bytes);
        var decoded = ConsumerProtocolCodec.DecodeSubscription("m", null, bytes);
        Assert.Equal(["t"], decoded.Topics);
        Assert.Equal([new TopicPartition("t", 1)], decoded.OwnedPartitions);
        Assert.Equal(7, decoded.GenerationId);
    }

    [Fact]
    public void A_version_0_subscription_as_old_clients_send_it_is_read()
    {
        // version 0 | topics [2: "ab", "c"] | userData (4 bytes: cooperative-sticky generation 9)
        byte[] v0 = [0, 0, 0, 0, 0, 2, 0, 2, (byte)'a', (byte)'b', 0, 1, (byte)'c', 0, 0, 0, 4, 0, 0, 0, 9];
        var decoded = ConsumerProtocolCodec.DecodeSubscription("m", "i", v0);
        Assert.Equal(["ab", "c"], decoded.Topics);
        Assert.Empty(decoded.OwnedPartitions);
        Assert.Equal(9, decoded.GenerationId);
        Assert.Equal("i", decoded.GroupInstanceId);
    }

    [Fact]
    public void Assignment_round_trips_and_an_empty_payload_is_no_partitions()
    {
        var bytes = ConsumerProtocolCodec.EncodeAssignment([new("b", 2), new("a", 1), new("a", 0)]);
        Assert.Equal([new TopicPartition("a", 0), new("a", 1), new("b", 2)], ConsumerProtocolCodec.DecodeAssignment(bytes));
        Assert.Empty(ConsumerProtocolCodec.DecodeAssignment(ReadOnlyMemory<byte>.Empty));
        Assert.Equal(Protocol.ErrorCode.InconsistentGroupProtocol,
            Assert.Throws<KafkaException>(() => ConsumerProtocolCodec.DecodeAssignment(new byte[] { 0, 3, 0, 0 })).Code);
    }
}
