using AkkaLog.Client.Tests.Infrastructure;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>acks=0 (no response at all) and acks=all both deliver; only acks=all knows offsets.</summary>
[Collection(BrokerCollection.Name)]
public sealed class AcksTests(BrokerFixture fixture)
{
    [Theory]
    [InlineData(Acks.None)]
    [InlineData(Acks.Leader)]
    [InlineData(Acks.All)]
    public async Task Records_are_delivered_with_acks(Acks acks)
    {
        string topic = await fixture.CreateTopicAsync("acks");
        var config = new ProducerConfig { BootstrapServers = fixture.Bootstrap, Acks = acks };
        DeliveryResult<Null, string>[] results;
        await using (var producer = new ProducerBuilder<Null, string>(config).Build())
        {
            results = await Task.WhenAll(Enumerable.Range(0, 500)
                .Select(i => producer.ProduceAsync(topic, new Message<Null, string> { Value = $"r{i}" })));
        }
        if (acks == Acks.None)
        {
            Assert.All(results, r => Assert.Equal(PersistenceStatus.PossiblyPersisted, r.Status));
            Assert.All(results, r => Assert.Equal(Offset.Unset, r.Offset));
        }
        else
        {
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));
            Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), results.Select(r => r.Offset.Value));
        }
        // Disposing flushed: with acks=0 the records were written to the socket; the broker gets them shortly.
        string[] lines = [];
        for (int attempt = 0; attempt < 50 && lines.Length < 500; attempt++)
        {
            lines = (await Kcat.ConsumeAllAsync(fixture.Bootstrap, topic, "%s\\n")).Lines;
            if (lines.Length < 500) await Task.Delay(100);
        }
        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"r{i}"), lines);
    }
}
