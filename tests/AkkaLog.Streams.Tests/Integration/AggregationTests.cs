using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>Reduce and Aggregate (with a JSON aggregate) into tables, a stream read as a table, and state directory exclusivity.</summary>
[Collection(StreamsCollection.Name)]
public sealed class AggregationTests(StreamsFixture fixture, ITestOutputHelper output)
{
    public sealed record Stats(long Count, long Sum, long Max);

    [Fact]
    public async Task Reduce_aggregate_and_to_table_keep_the_right_value_per_key()
    {
        string input = await fixture.CreateTopicAsync("agg-in", 2);
        string statsOut = await fixture.CreateTopicAsync("agg-stats", 1);
        var builder = new StreamsBuilder();
        var amounts = builder.Stream<string, string>(input).SelectValues(long.Parse);
        amounts.GroupByKey().Reduce(Math.Max, Materialized<string, long>.As("max"));
        amounts.GroupByKey().Aggregate(() => new Stats(0, 0, long.MinValue), (_, v, s) => new Stats(s.Count + 1, s.Sum + v, Math.Max(s.Max, v)),
                Materialized<string, Stats>.As("stats"))
            .ToStream().To(statsOut, Serdes.String, Serdes.Json<Stats>());
        amounts.ToTable(Materialized<string, long>.As("latest"));

        var values = new Dictionary<string, long[]> { ["a"] = [5, 3, 9, 1], ["b"] = [-2, -7], ["c"] = [4] };
        var records = values.SelectMany(kv => kv.Value.Select((v, i) => ((string?)kv.Key, (string?)v.ToString(), 1000L + i))).ToList();
        await fixture.ProduceAsync(input, records);
        var config = fixture.Config(StreamsFixture.Unique("agg"), output: output);
        await using var app = new StreamsApp(builder.Build(), config);
        await app.StartAsync();

        var read = fixture.ReadUntil(statsOut, Serdes.String, Serdes.Json<Stats>(), r => r.Count >= records.Count, settle: TimeSpan.FromMilliseconds(300));
        var latest = StreamsFixture.Latest(read);
        foreach (var (key, vs) in values)
        {
            Assert.Equal(new Stats(vs.Length, vs.Sum(), vs.Max()), latest[key]);
            Assert.Equal(vs.Max(), app.Store<string, long>("max").Get(key));
            Assert.Equal(vs[^1], app.Store<string, long>("latest").Get(key));
            Assert.Equal(new Stats(vs.Length, vs.Sum(), vs.Max()), app.Store<string, Stats>("stats").Get(key));
        }
        Assert.Throws<ArgumentException>(() => app.Store<string, string>("max"));
        Assert.Throws<ArgumentException>(() => app.Store<string, long>("no-such-store"));

        // A second instance may not share the first one's state directory.
        await using var twin = new StreamsApp(builder2(), config);
        Assert.Contains("in use", (await Assert.ThrowsAsync<InvalidOperationException>(() => twin.StartAsync())).Message);

        Topology builder2()
        {
            var b = new StreamsBuilder();
            b.Stream<string, string>(input).ForEach((_, _) => { });
            return b.Build();
        }
    }
}
