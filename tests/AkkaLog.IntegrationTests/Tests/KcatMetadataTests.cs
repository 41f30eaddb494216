using System.Text.Json;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>kcat -L (Metadata through librdkafka) shows this broker and the topics created on it.</summary>
[Collection(SharedBrokerCollection.Name)]
public sealed class KcatMetadataTests(SharedBrokerFixture fixture, ITestOutputHelper output)
{
    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public Task List_shows_broker_and_topics_with_partitions() => Broker.WithLogOnFailure(output, async () =>
    {
        string three = TopicNames.Unique("meta-three"), one = TopicNames.Unique("meta-one");
        await using (var client = await Broker.ConnectAsync())
        {
            await client.CreateTopicOrFailAsync(three, 3);
            await client.CreateTopicOrFailAsync(one, 1);
        }

        var json = await Kcat.RunCheckedAsync(Broker.Bootstrap, ["-L", "-J"]);
        using var doc = JsonDocument.Parse(json.Stdout);
        var root = doc.RootElement;
        var brokers = root.GetProperty("brokers").EnumerateArray().ToList();
        var broker = Assert.Single(brokers);
        Assert.Equal($"127.0.0.1:{Broker.Port}", broker.GetProperty("name").GetString());
        int nodeId = broker.GetProperty("id").GetInt32();
        Assert.Equal(nodeId, root.GetProperty("controllerid").GetInt32());

        var topics = root.GetProperty("topics").EnumerateArray().ToDictionary(t => t.GetProperty("topic").GetString()!);
        AssertTopic(topics, three, 3, nodeId);
        AssertTopic(topics, one, 1, nodeId);

        var text = await Kcat.RunCheckedAsync(Broker.Bootstrap, ["-L", "-t", three]);
        Assert.Contains($"broker {nodeId} at 127.0.0.1:{Broker.Port}", text.Stdout);
        Assert.Contains($"topic \"{three}\" with 3 partitions:", text.Stdout);
        for (int p = 0; p < 3; p++) Assert.Contains($"partition {p}, leader {nodeId}, replicas: {nodeId}, isrs: {nodeId}", text.Stdout);
    });

    private static void AssertTopic(Dictionary<string, JsonElement> topics, string name, int partitions, int nodeId)
    {
        Assert.True(topics.TryGetValue(name, out var topic), $"kcat -L does not list {name}");
        Assert.False(topic.TryGetProperty("error", out var err), $"{name} has error {err}");
        var parts = topic.GetProperty("partitions").EnumerateArray().OrderBy(p => p.GetProperty("partition").GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, partitions), parts.Select(p => p.GetProperty("partition").GetInt32()));
        foreach (var p in parts)
        {
            Assert.Equal(nodeId, p.GetProperty("leader").GetInt32());
            Assert.False(p.TryGetProperty("error", out var perr), $"{name} partition error {perr}");
        }
    }
}
