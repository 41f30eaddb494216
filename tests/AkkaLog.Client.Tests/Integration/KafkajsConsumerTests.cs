using System.Text;
using System.Text.Json;
using AkkaLog.Client.Tests.Infrastructure;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>kafkajs as the other judge: what it produces our consumer reads exactly, and what our producer writes its consumer reads exactly.</summary>
[Collection(BrokerCollection.Name)]
public sealed class KafkajsConsumerTests(BrokerFixture fixture)
{
    private const int Count = 300;

    [Fact]
    public async Task Records_produced_by_kafkajs_are_read_exactly_by_our_consumer()
    {
        string topic = await fixture.CreateTopicAsync("kjs-src", partitions: 3);
        var run = await Kafkajs.RunCheckedAsync("consumer-source.js", fixture.Bootstrap, new Dictionary<string, string> { ["TOPIC"] = topic, ["COUNT"] = $"{Count}" });
        Assert.Contains($"OK produced {Count}", run.Stdout);

        using var consumer = new ConsumerBuilder<string, string>(ConsumerKit.Config(fixture.Bootstrap)).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var read = await ConsumerKit.ReadAsync(consumer, Count);
        Assert.Empty(await ConsumerKit.DrainAsync(consumer, TimeSpan.FromMilliseconds(300)));

        var byKey = read.ToDictionary(r => r.Message.Key);
        for (int i = 0; i < Count; i++)
        {
            var m = byKey[$"kjs-k-{i}"].Message;
            Assert.Equal(i % 10 == 5 ? null : $"kjs-v-{i}-é✓", m.Value);
            Assert.Equal([("src", "kafkajs"), ("i", $"{i}")], m.Headers!.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes()!))));
        }
        // kafkajs sends each partition's messages in order; offsets within a partition follow that order.
        foreach (var g in read.GroupBy(r => r.Partition.Value))
            Assert.Equal(g.OrderBy(r => r.Offset.Value).Select(r => int.Parse(r.Message.Key[6..])), g.Select(r => int.Parse(r.Message.Key[6..])).Order());
    }

    [Fact]
    public async Task Records_of_our_producer_are_read_exactly_by_a_kafkajs_consumer()
    {
        string topic = await fixture.CreateTopicAsync("kjs-sink", partitions: 3);
        DeliveryResult<string, string>[] sent;
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, CompressionType = CompressionType.Gzip };
        await using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            sent = await Task.WhenAll(Enumerable.Range(0, Count).Select(i => producer.ProduceAsync(topic, new Message<string, string>
            {
                Key = $"ours-k-{i}",
                Value = i % 9 == 4 ? null! : $"ours-v-{i}-é✓",
                Headers = new Headers { { "src", "akkalog" }, { "i", $"{i}" } },
            })));
        }

        var run = await Kafkajs.RunCheckedAsync("consumer-sink.js", fixture.Bootstrap, new Dictionary<string, string>
        {
            ["TOPIC"] = topic, ["COUNT"] = $"{Count}", ["GROUP"] = "kjs-sink-" + Guid.NewGuid().ToString("N")[..8],
        });
        Assert.Contains($"OK consumed {Count}", run.Stdout);
        var got = run.Lines.Where(l => l.StartsWith("MSG ")).Select(l => JsonDocument.Parse(l[4..]).RootElement)
            .ToDictionary(e => (e.GetProperty("partition").GetInt32(), e.GetProperty("offset").GetInt64()));
        Assert.Equal(Count, got.Count);
        foreach (var d in sent)
        {
            var e = got[(d.Partition.Value, d.Offset.Value)];
            Assert.Equal(d.Message.Key, e.GetProperty("key").GetString());
            Assert.Equal(d.Message.Value, e.GetProperty("value").ValueKind == JsonValueKind.Null ? null : e.GetProperty("value").GetString());
            var headers = e.GetProperty("headers");
            Assert.Equal("akkalog", headers.GetProperty("src").GetString());
            Assert.Equal(d.Message.Headers![1].GetValueBytes(), Encoding.UTF8.GetBytes(headers.GetProperty("i").GetString()!));
        }
    }
}
