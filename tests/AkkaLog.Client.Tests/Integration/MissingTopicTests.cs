using AkkaLog.Client.Tests.Infrastructure;
using AkkaLog.Protocol;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>With auto-creation off, producing to a missing topic fails with a typed UNKNOWN_TOPIC_OR_PARTITION after retrying.</summary>
[Collection(BrokerCollection.Name)]
public sealed class MissingTopicTests(BrokerFixture fixture)
{
    [Fact]
    public async Task Producing_to_a_missing_topic_fails_with_unknown_topic()
    {
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, MaxBlockMs = 1500 };
        await using var producer = new ProducerBuilder<string, string>(config).Build();
        string topic = "missing-" + Guid.NewGuid().ToString("N");
        var first = producer.ProduceAsync(topic, new Message<string, string> { Key = "a", Value = "1" });
        var second = producer.ProduceAsync(topic, new Message<string, string> { Key = "b", Value = "2" });

        var e = await Assert.ThrowsAsync<ProduceException<string, string>>(() => first);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, e.Code);
        Assert.True(e.IsRetriable);
        Assert.Equal(topic, e.DeliveryResult.Topic);
        Assert.Equal("a", e.DeliveryResult.Message.Key);
        Assert.Equal(PersistenceStatus.NotPersisted, e.DeliveryResult.Status);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, (await Assert.ThrowsAsync<ProduceException<string, string>>(() => second)).Code);
    }
}
