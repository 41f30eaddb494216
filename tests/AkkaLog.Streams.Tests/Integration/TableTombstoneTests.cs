using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>
/// Deletions flow through tables: a tombstone on a table's source topic, a table-table join whose side is
/// deleted, and a stream-table join against a deleted key. Outputs are read with a raw consumer, so a
/// tombstone shows as a null value.
/// </summary>
[Collection(StreamsCollection.Name)]
public sealed class TableTombstoneTests(StreamsFixture fixture, ITestOutputHelper output)
{
    private const long T0 = 1_700_000_000_000;
    private static readonly Dictionary<string, string> Compacted = new() { ["cleanup.policy"] = "compact" };

    [Fact]
    public async Task A_tombstone_on_the_source_deletes_the_key_and_reaches_the_output_topic_as_a_null_value()
    {
        string products = await fixture.CreateTopicAsync("prod", 1, Compacted);
        string changes = await fixture.CreateTopicAsync("prod-changes", 1, Compacted);
        var builder = new StreamsBuilder();
        builder.Table<string, string>(products, Materialized<string, string>.As("products")).ToStream().To(changes);
        // p1 set, p2 set, p1 deleted, p3 deleted without ever existing (nothing to tell), p1 set again.
        await fixture.ProduceAsync(products, [("p1", "apple", T0), ("p2", "pear", T0 + 1), ("p1", null, T0 + 2), ("p3", null, T0 + 3),
            ("p1", "apricot", T0 + 4), ("p2", null, T0 + 5)]);

        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("tomb"), output: output));
        await app.StartAsync();
        var read = fixture.ReadUntil(changes, Serdes.String, Serdes.String, r => r.Count >= 5, settle: TimeSpan.FromMilliseconds(700));
        Assert.Equal([("p1", "apple"), ("p2", "pear"), ("p1", null), ("p1", "apricot"), ("p2", null)],
            read.Select(r => (r.Key, (string?)r.Value)).ToList());
        // The tombstone keeps the timestamp of the record that caused it.
        Assert.Equal(T0 + 2, read[2].Timestamp);
        var store = app.Store<string, string>("products");
        Assert.Equal("apricot", store.Get("p1"));
        Assert.False(store.TryGet("p2", out _));
    }

    [Fact]
    public async Task Table_table_join_forwards_a_tombstone_when_a_side_is_deleted()
    {
        string users = await fixture.CreateTopicAsync("tt-users", 2, Compacted);
        string scores = await fixture.CreateTopicAsync("tt-scores", 2, Compacted);
        string inner = await fixture.CreateTopicAsync("tt-inner", 1);
        string left = await fixture.CreateTopicAsync("tt-left", 1);
        var builder = new StreamsBuilder();
        var userTable = builder.Table<string, string>(users, Materialized<string, string>.As("tt-users"));
        var scoreTable = builder.Table<string, string>(scores, Materialized<string, string>.As("tt-scores"));
        userTable.Join(scoreTable, (name, score) => $"{name}={score}", Materialized<string, string>.As("tt-inner")).ToStream().To(inner);
        userTable.LeftJoin(scoreTable, (name, score) => $"{name}={score ?? "-"}", Materialized<string, string>.As("tt-left")).ToStream().To(left);

        // u1 loses its score (right side deleted), u2 loses its user (left side deleted); u3 has a score only,
        // which is then deleted: it never joined, so neither join says anything about it.
        await fixture.ProduceAsync(users, [("u1", "ann", T0), ("u2", "ben", T0 + 1)]);
        await fixture.ProduceAsync(scores, [("u1", "10", T0 + 2), ("u2", "7", T0 + 3), ("u3", "99", T0 + 4)]);
        await fixture.ProduceAsync(scores, [("u1", null, T0 + 10), ("u3", null, T0 + 11)]);
        await fixture.ProduceAsync(users, [("u2", null, T0 + 12)]);

        // Both inputs are there before the start, so each task processes them in timestamp order across the two topics.
        var config = fixture.Config(StreamsFixture.Unique("ttdel"), output: output);
        config.MaxTaskIdleMs = 2000;
        await using var app = new StreamsApp(builder.Build(), config);
        await app.StartAsync();

        var innerRead = fixture.ReadUntil(inner, Serdes.String, Serdes.String, r => r.Count >= 4, settle: TimeSpan.FromMilliseconds(700));
        Assert.Equal(["ann=10", null], PerKey(innerRead, "u1"));
        Assert.Equal(["ben=7", null], PerKey(innerRead, "u2"));
        Assert.Empty(PerKey(innerRead, "u3"));
        Assert.Equal(4, innerRead.Count);

        var leftRead = fixture.ReadUntil(left, Serdes.String, Serdes.String, r => r.Count >= 6, settle: TimeSpan.FromMilliseconds(700));
        Assert.Equal(["ann=-", "ann=10", "ann=-"], PerKey(leftRead, "u1"));
        Assert.Equal(["ben=-", "ben=7", null], PerKey(leftRead, "u2"));
        Assert.Empty(PerKey(leftRead, "u3"));
        Assert.Equal(6, leftRead.Count);

        var innerStore = app.Store<string, string>("tt-inner");
        Assert.False(innerStore.TryGet("u1", out _));
        Assert.False(innerStore.TryGet("u2", out _));
        var leftStore = app.Store<string, string>("tt-left");
        Assert.Equal("ann=-", leftStore.Get("u1"));
        Assert.False(leftStore.TryGet("u2", out _));
    }

    [Fact]
    public async Task Stream_table_join_does_not_match_a_key_the_table_deleted()
    {
        string customers = await fixture.CreateTopicAsync("del-cust", 1, Compacted);
        string orders = await fixture.CreateTopicAsync("del-orders", 1);
        string joined = await fixture.CreateTopicAsync("del-joined", 1);
        string leftJoined = await fixture.CreateTopicAsync("del-left", 1);
        var builder = new StreamsBuilder();
        var table = builder.Table<string, string>(customers, Materialized<string, string>.As("del-customers"));
        var orderStream = builder.Stream<string, string>(orders);
        orderStream.Join(table, (o, c) => $"{o}|{c}").To(joined);
        orderStream.LeftJoin(table, (o, c) => $"{o}|{c ?? "none"}").To(leftJoined);

        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("deljoin"), output: output));
        await app.StartAsync();
        await app.WaitUntilRunningAsync(TimeSpan.FromSeconds(30));
        var store = app.Store<string, string>("del-customers");
        await fixture.ProduceAsync(customers, [("c1", "Alice", T0)]);
        await StreamsFixture.WaitUntilAsync(() => store.TryGet("c1", out _), () => "customer not loaded");
        await fixture.ProduceAsync(orders, [("c1", "o1", T0 + 1000)]);
        fixture.ReadUntil(joined, Serdes.String, Serdes.String, r => r.Count >= 1);
        await fixture.ProduceAsync(customers, [("c1", null, T0 + 2000)]);
        await StreamsFixture.WaitUntilAsync(() => !store.TryGet("c1", out _), () => "customer deletion not applied");
        await fixture.ProduceAsync(orders, [("c1", "o2", T0 + 3000)]);

        var left = fixture.ReadUntil(leftJoined, Serdes.String, Serdes.String, r => r.Count >= 2, settle: TimeSpan.FromMilliseconds(300));
        Assert.Equal(["o1|Alice", "o2|none"], left.Select(r => r.Value).ToList());
        var innerRead = fixture.ReadUntil(joined, Serdes.String, Serdes.String, r => r.Count >= 1, settle: TimeSpan.FromMilliseconds(700));
        Assert.Equal(["o1|Alice"], innerRead.Select(r => r.Value).ToList());
    }

    private static List<string?> PerKey(List<(string Key, string Value, long Timestamp)> records, string key) =>
        records.Where(r => r.Key == key).Select(r => (string?)r.Value).ToList();
}
