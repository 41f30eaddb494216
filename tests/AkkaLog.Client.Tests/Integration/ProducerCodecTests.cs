using System.Text;
using AkkaLog.Client.Tests.Infrastructure;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>Records produced with each codec read back byte-identical by kcat (librdkafka), an independent decoder.</summary>
[Collection(BrokerCollection.Name)]
public sealed class ProducerCodecTests(BrokerFixture fixture)
{
    private const int Records = 10_000;

    [Theory]
    [InlineData("none")]
    [InlineData("gzip")]
    [InlineData("snappy")]
    [InlineData("lz4")]
    [InlineData("zstd")]
    public async Task Ten_thousand_records_read_back_by_kcat_identically(string codec)
    {
        string topic = await fixture.CreateTopicAsync("codec-" + codec);
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap };
        config.Set("compression.type", codec);
        var expected = new StringBuilder();
        var deliveries = new List<Task<DeliveryResult<string, string>>>(Records);
        await using (var producer = new ProducerBuilder<string, string>(config).Build())
        {
            for (int i = 0; i < Records; i++)
            {
                string key = $"key-{i}";
                // Repetitive but not constant, so every codec has something to do.
                string value = $"value-{i}-{new string((char)('a' + i % 26), i % 50)}-é✓";
                expected.Append(key).Append(' ').Append(value).Append('\n');
                deliveries.Add(producer.ProduceAsync(topic, new Message<string, string> { Key = key, Value = value }));
            }
            await producer.FlushAsync();
            var results = await Task.WhenAll(deliveries);
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
            Assert.Equal(Enumerable.Range(0, Records).Select(i => (long)i), results.Select(r => r.Offset.Value));
        }

        var read = await Kcat.ConsumeAllAsync(fixture.Bootstrap, topic, "%k %s\\n");
        Assert.Equal(expected.ToString(), read.Stdout);
    }
}
