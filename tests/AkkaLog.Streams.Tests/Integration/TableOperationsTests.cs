using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>
/// Stateless table operations: Filter/FilterNot and MapValues with their exact change streams (tombstones
/// for keys that stop passing, nothing for keys that never passed), a materialized filter's store, a join
/// against an unmaterialized filtered table, and deletions of a value-type table written as tombstones.
/// </summary>
[Collection(StreamsCollection.Name)]
public sealed class TableOperationsTests(StreamsFixture fixture, ITestOutputHelper output)
{
    private const long T0 = 1_700_000_000_000;
    private static readonly Dictionary<string, string> Compacted = new() { ["cleanup.policy"] = "compact" };

    [Fact]
    public async Task Filter_and_map_values_emit_updates_and_tombstones_for_keys_that_stop_passing()
    {
        string prices = await fixture.CreateTopicAsync("prices", 1, Compacted);
        string orders = await fixture.CreateTopicAsync("price-orders", 1);
        string dear = await fixture.CreateTopicAsync("dear", 1, Compacted);
        string cheap = await fixture.CreateTopicAsync("cheap", 1, Compacted);
        string joined = await fixture.CreateTopicAsync("dear-orders", 1);
        var builder = new StreamsBuilder();
        var table = builder.Table<string, string>(prices, Materialized<string, string>.As("prices"));
        // Neither stage has a store of its own; the join below makes one for the filtered, mapped table.
        var dearTable = table.Filter(v => int.Parse(v) >= 10).MapValues(v => "$" + v);
        dearTable.ToStream().To(dear);
        table.FilterNot((_, v) => int.Parse(v) >= 10, Materialized<string, string>.As("cheap-prices")).ToStream().To(cheap);
        builder.Stream<string, string>(orders).Join(dearTable, (o, price) => $"{o}|{price}").To(joined);

        // Orders interleave with the price changes by timestamp; each task processes both topics in that order.
        await fixture.ProduceAsync(prices, [("x", "5", T0), ("y", "20", T0 + 10), ("x", "15", T0 + 20), ("y", "8", T0 + 30), ("y", "3", T0 + 40),
            ("x", null, T0 + 50), ("z", null, T0 + 60), ("x", "12", T0 + 70)]);
        await fixture.ProduceAsync(orders, [("x", "o1", T0 + 25), ("y", "o2", T0 + 35), ("x", "o3", T0 + 55), ("x", "o4", T0 + 75)]);
        var config = fixture.Config(StreamsFixture.Unique("tfilter"), output: output);
        config.MaxTaskIdleMs = 2000;
        await using var app = new StreamsApp(builder.Build(), config);
        await app.StartAsync();

        var dearRead = fixture.ReadUntil(dear, Serdes.String, Serdes.String, r => r.Count >= 5, settle: TimeSpan.FromMilliseconds(700));
        // x=5 never passed: nothing. y drops to 8: tombstone; to 3: nothing more. x deleted: tombstone. z deleted unseen: nothing.
        Assert.Equal([("y", "$20"), ("x", "$15"), ("y", null), ("x", null), ("x", "$12")], Pairs(dearRead));

        var cheapRead = fixture.ReadUntil(cheap, Serdes.String, Serdes.String, r => r.Count >= 4, settle: TimeSpan.FromMilliseconds(300));
        // x leaves the cheap table at 15 (tombstone) and its deletion later says nothing more; y enters at 8 and updates to 3.
        Assert.Equal([("x", "5"), ("x", null), ("y", "8"), ("y", "3")], Pairs(cheapRead));
        var cheapStore = app.Store<string, string>("cheap-prices");
        Assert.Equal("3", cheapStore.Get("y"));
        Assert.False(cheapStore.TryGet("x", out _));

        var joinedRead = fixture.ReadUntil(joined, Serdes.String, Serdes.String, r => r.Count >= 2, settle: TimeSpan.FromMilliseconds(300));
        // o2 meets y after it left the filtered table; o3 meets x after its deletion: neither joins.
        Assert.Equal([("x", "o1|$15"), ("x", "o4|$12")], Pairs(joinedRead));
    }

    [Fact]
    public async Task A_filtered_count_sends_tombstones_through_a_nullable_value_type()
    {
        string words = await fixture.CreateTopicAsync("fwords", 1);
        string rare = await fixture.CreateTopicAsync("rare-words", 1, Compacted);
        var builder = new StreamsBuilder();
        builder.Stream<string, string>(words).GroupByKey().Count()
            .Filter(count => count < 3)
            .MapValues(count => (long?)count)
            .ToStream().To(rare);

        await fixture.ProduceAsync(words, [("a", "", T0), ("a", "", T0 + 1), ("b", "", T0 + 2), ("a", "", T0 + 3), ("a", "", T0 + 4)]);
        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("fcount"), output: output));
        await app.StartAsync();

        var read = fixture.ReadUntil(rare, Serdes.String, Serdes.For<long?>(), r => r.Count >= 4, settle: TimeSpan.FromMilliseconds(700));
        // a reaches 3: one tombstone (a real null value, not 0); a at 4 was not in the table: nothing.
        Assert.Equal([("a", 1L), ("a", 2L), ("b", 1L), ("a", (long?)null)], read.Select(r => (r.Key, r.Value)).ToList());
        // long? is written as Kafka's big-endian long (8 bytes), null as a null value.
        var raw = fixture.ReadUntil(rare, Serdes.String, Serdes.ByteArray, r => r.Count >= 4);
        Assert.Equal([8, 8, 8, -1], raw.Select(r => r.Value?.Length ?? -1).ToList());
    }

    private static List<(string, string?)> Pairs(List<(string Key, string Value, long Timestamp)> records) =>
        records.Select(r => (r.Key, (string?)r.Value)).ToList();
}
