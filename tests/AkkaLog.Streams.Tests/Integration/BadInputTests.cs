using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>Records that do not deserialize: by default the application stops with the serde's error; with SkipBadRecords they are skipped and counted.</summary>
[Collection(StreamsCollection.Name)]
public sealed class BadInputTests(StreamsFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_value_that_does_not_deserialize_stops_the_app_or_is_skipped_and_counted(bool skip)
    {
        string input = await fixture.CreateTopicAsync("bad-in");
        // Values meant to be 8-byte longs; the second one is text.
        await using (var producer = new AkkaLog.Client.ProducerBuilder<string, byte[]>(new AkkaLog.Client.ProducerConfig { BootstrapServers = fixture.Bootstrap }).Build())
        {
            await producer.ProduceAsync(input, new AkkaLog.Client.Message<string, byte[]> { Key = "a", Value = Serdes.Long.Serialize(5)! });
            await producer.ProduceAsync(input, new AkkaLog.Client.Message<string, byte[]> { Key = "b", Value = "not a long"u8.ToArray() });
            await producer.ProduceAsync(input, new AkkaLog.Client.Message<string, byte[]> { Key = "c", Value = Serdes.Long.Serialize(7)! });
        }
        var seen = new List<(string, long)>();
        var builder = new StreamsBuilder();
        builder.Stream(input, Serdes.String, Serdes.Long).ForEach((k, v) => { lock (seen) seen.Add((k, v)); });
        var config = fixture.Config(StreamsFixture.Unique("bad"), output: output);
        config.SkipBadRecords = skip;
        await using var app = new StreamsApp(builder.Build(), config);
        await app.StartAsync();
        if (skip)
        {
            await StreamsFixture.WaitUntilAsync(() => { lock (seen) return seen.Count == 2; }, () => $"{seen.Count} seen");
            Assert.Equal([("a", 5L), ("c", 7L)], seen);
            Assert.Equal(1, app.Metrics.SkippedRecords);
            Assert.Equal(StreamsState.Running, app.State);
        }
        else
        {
            var error = await Assert.ThrowsAsync<FormatException>(() => app.Completion);
            Assert.Contains("8 bytes", error.Message);
            Assert.Equal(StreamsState.Error, app.State);
            Assert.Equal([("a", 5L)], seen);
        }
    }
}
