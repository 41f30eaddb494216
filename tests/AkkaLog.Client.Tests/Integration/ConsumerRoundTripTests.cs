using System.Text;
using AkkaLog.Client.Tests.Infrastructure;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>What kcat (librdkafka) and our producer write, our consumer reads back byte for byte.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ConsumerRoundTripTests(BrokerFixture fixture)
{
    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public async Task Records_produced_by_kcat_are_read_byte_identically(string codec)
    {
        const int count = 2000;
        string topic = await fixture.CreateTopicAsync("kcat-in-" + codec);
        // Keys, UTF-8 values and, every 7th record, an empty value that -Z sends as a null (a tombstone).
        var expected = Enumerable.Range(0, count).Select(i => (Key: $"key-{i}", Value: i % 7 == 3 ? null : $"value-{i}-é✓-{new string('x', i % 40)}")).ToList();
        string input = string.Concat(expected.Select(e => $"{e.Key}:{e.Value}\n"));
        await Kcat.RunCheckedAsync(fixture.Bootstrap, ["-P", "-t", topic, "-p", "0", "-K:", "-Z", "-z", codec, "-X", "linger.ms=20",
            "-H", "source=kcat", "-H", "empty=", "-H", "source=again"], input);

        using var consumer = new ConsumerBuilder<byte[], byte[]>(ConsumerKit.Config(fixture.Bootstrap)).Build();
        consumer.Assign([new TopicPartitionOffset(topic, 0, Offset.Beginning)]);
        var read = await ConsumerKit.ReadAsync(consumer, count);

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), read.Select(r => r.Offset.Value));
        for (int i = 0; i < count; i++)
        {
            var m = read[i].Message;
            Assert.Equal(Encoding.UTF8.GetBytes(expected[i].Key), m.Key);
            if (expected[i].Value is null) Assert.Null(m.Value);
            else Assert.Equal(Encoding.UTF8.GetBytes(expected[i].Value!), m.Value);
            Assert.NotNull(m.Headers);
            Assert.Equal([("source", "kcat"), ("empty", ""), ("source", "again")],
                m.Headers!.Select(h => (h.Key, Encoding.UTF8.GetString(h.GetValueBytes() ?? []))));
            Assert.Equal(TimestampType.CreateTime, m.Timestamp.Type);
        }
        Assert.Equal(count, consumer.Position(new TopicPartition(topic, 0)).Value);
    }

    [Fact]
    public async Task Records_of_our_producer_are_read_by_our_consumer_across_partitions()
    {
        const int count = 3000;
        string topic = await fixture.CreateTopicAsync("ours-in", partitions: 3);
        var sent = new List<DeliveryResult<string, string>>();
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, CompressionType = CompressionType.Lz4 };
        await using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            var tasks = Enumerable.Range(0, count).Select(i =>
            {
                var headers = new Headers { { "i", i.ToString() } };
                if (i % 5 == 0) headers.Add("null", (byte[]?)null);
                return producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i % 97}", Value = i % 11 == 0 ? null! : $"v{i}", Headers = headers });
            }).ToList();
            sent.AddRange(await Task.WhenAll(tasks));
        }

        using var consumer = new ConsumerBuilder<string, string>(ConsumerKit.Config(fixture.Bootstrap)).Build();
        consumer.Assign(Enumerable.Range(0, 3).Select(p => new TopicPartition(topic, p)));
        var read = await ConsumerKit.ReadAsync(consumer, count);

        var byPosition = read.ToDictionary(r => (r.Partition.Value, r.Offset.Value));
        Assert.Equal(count, byPosition.Count);
        foreach (var d in sent)
        {
            var r = byPosition[(d.Partition.Value, d.Offset.Value)];
            Assert.Equal(d.Message.Key, r.Message.Key);
            Assert.Equal(d.Message.Value, r.Message.Value);
            Assert.Equal(d.Timestamp.UnixTimestampMs, r.Message.Timestamp.UnixTimestampMs);
            Assert.Equal(d.Message.Headers!.Select(h => (h.Key, h.GetValueBytes())), r.Message.Headers!.Select(h => (h.Key, h.GetValueBytes())));
        }
        // Within a partition, offsets come in order.
        foreach (var g in read.GroupBy(r => r.Partition.Value))
            Assert.Equal(g.Select(r => r.Offset.Value).Order(), g.Select(r => r.Offset.Value));
    }
}
