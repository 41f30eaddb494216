using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>Stream-table enrichment (with a repartition), windowed stream-stream joins, table-table joins, co-partitioning.</summary>
[Collection(StreamsCollection.Name)]
public sealed class JoinTests(StreamsFixture fixture, ITestOutputHelper output)
{
    private const long T0 = 1_700_000_000_000;
    private const long S = 1000;
    private static readonly Dictionary<string, string> Compacted = new() { ["cleanup.policy"] = "compact" };

    [Fact]
    public async Task Stream_table_join_enriches_orders_with_the_latest_customer_record()
    {
        string customers = await fixture.CreateTopicAsync("cust", 2, Compacted);
        string orders = await fixture.CreateTopicAsync("orders", 3);
        string enriched = await fixture.CreateTopicAsync("enriched", 1);
        string leftEnriched = await fixture.CreateTopicAsync("enriched-left", 1);

        var builder = new StreamsBuilder();
        var customerTable = builder.Table<string, string>(customers, Materialized<string, string>.As("customers"));
        // Orders are keyed by order id; value "customer:amount". Re-keying by customer repartitions them (2 partitions, as the table).
        var byCustomer = builder.Stream<string, string>(orders).SelectKey((_, v) => v.Split(':')[0]);
        byCustomer.Join(customerTable, (order, customer) => $"{order}|{customer}").To(enriched);
        byCustomer.LeftJoin(customerTable, (order, customer) => $"{order}|{customer ?? "unknown"}").To(leftEnriched);

        // The app runs while the data arrives, as in production: each order meets the customer record current when it is processed.
        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("enrich"), output: output));
        await app.StartAsync();
        await app.WaitUntilRunningAsync(TimeSpan.FromSeconds(30));
        var customerStore = app.Store<string, string>("customers");
        await fixture.ProduceAsync(customers, [("c1", "Alice v1", T0), ("c2", "Bob", T0 + 1)]);
        await StreamsFixture.WaitUntilAsync(() => customerStore.TryGet("c1", out _) && customerStore.TryGet("c2", out _), () => "customers not loaded");
        await fixture.ProduceAsync(orders, [("o1", "c1:10", T0 + 10 * S), ("o2", "c2:20", T0 + 11 * S)]);
        fixture.ReadUntil(enriched, Serdes.String, Serdes.String, r => r.Count >= 2);
        await fixture.ProduceAsync(customers, [("c1", "Alice v2", T0 + 20 * S)]);
        await StreamsFixture.WaitUntilAsync(() => customerStore.Get("c1") == "Alice v2", () => "customer update not loaded");
        await fixture.ProduceAsync(orders, [("o3", "c1:30", T0 + 30 * S), ("o4", "c3:40", T0 + 31 * S)]);

        var inner = fixture.ReadUntil(enriched, Serdes.String, Serdes.String, r => r.Count >= 3, settle: TimeSpan.FromMilliseconds(700));
        Assert.Equal(["c1:10|Alice v1", "c1:30|Alice v2", "c2:20|Bob"], inner.Select(r => r.Value).Order());
        Assert.All(inner, r => Assert.Equal(r.Value.Split(':')[0], r.Key));
        var left = fixture.ReadUntil(leftEnriched, Serdes.String, Serdes.String, r => r.Count >= 4, settle: TimeSpan.FromMilliseconds(300));
        Assert.Equal(["c1:10|Alice v1", "c1:30|Alice v2", "c2:20|Bob", "c3:40|unknown"], left.Select(r => r.Value).Order());
        Assert.Equal("Alice v2", customerStore.Get("c1"));
    }

    [Fact]
    public async Task Windowed_stream_stream_join_pairs_clicks_with_impressions_within_10_s_and_no_others()
    {
        string impressions = await fixture.CreateTopicAsync("imp", 2);
        string clicks = await fixture.CreateTopicAsync("clk", 2);
        string joined = await fixture.CreateTopicAsync("imp-clk", 1);
        string outer = await fixture.CreateTopicAsync("imp-clk-outer", 1);
        var builder = new StreamsBuilder();
        var imp = builder.Stream<string, string>(impressions);
        var clk = builder.Stream<string, string>(clicks);
        var window = JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));
        imp.Join(clk, (i, c) => $"{i}+{c}", window, "imp-clk").To(joined);
        imp.OuterJoin(clk, (i, c) => $"{i ?? "-"}+{c ?? "-"}", window, "imp-clk-outer").To(outer);

        // ad1: impression at 0 s, clicks at 4 s (pair) and 15 s (too late for it); ad2: impression at 20 s,
        // click at 12 s (8 s before: pair) and one at 31 s (11 s after: no pair); ad3: a click with no impression.
        await fixture.ProduceAsync(impressions, [("ad1", "i1", T0), ("ad2", "i2", T0 + 20 * S), ("ad4", "i4", T0 + 40 * S)]);
        await fixture.ProduceAsync(clicks, [("ad1", "c1", T0 + 4 * S), ("ad2", "c2", T0 + 12 * S), ("ad1", "c3", T0 + 15 * S),
            ("ad3", "c4", T0 + 16 * S), ("ad2", "c5", T0 + 31 * S), ("ad4", "c6", T0 + 50 * S)]);

        // Both inputs are there before the start: a task waits (max.task.idle.ms) until each of its partitions has
        // records, then processes them in timestamp order across the two topics.
        var config = fixture.Config(StreamsFixture.Unique("sjoin"), output: output);
        config.MaxTaskIdleMs = 2000;
        await using var app = new StreamsApp(builder.Build(), config);
        await app.StartAsync();
        var pairs = fixture.ReadUntil(joined, Serdes.String, Serdes.String, r => r.Count >= 3, settle: TimeSpan.FromSeconds(1));
        Assert.Equal([("ad1", "i1+c1"), ("ad2", "i2+c2"), ("ad4", "i4+c6")], pairs.Select(r => (r.Key, r.Value)).Order());
        // The joined record carries the later of the two timestamps.
        Assert.Equal(T0 + 20 * S, pairs.Single(p => p.Key == "ad2").Timestamp);

        var all = fixture.ReadUntil(outer, Serdes.String, Serdes.String, r => r.Count >= 6, settle: TimeSpan.FromSeconds(1));
        // Eager outer join: unmatched records appear with "-" at once; matches appear too.
        Assert.Contains(("ad1", "i1+c1"), all.Select(r => (r.Key, r.Value)));
        Assert.Contains(("ad1", "-+c3"), all.Select(r => (r.Key, r.Value)));
        Assert.Contains(("ad3", "-+c4"), all.Select(r => (r.Key, r.Value)));
        Assert.Contains(("ad2", "-+c5"), all.Select(r => (r.Key, r.Value)));
        Assert.DoesNotContain(all, r => r.Value is "i1+c3" or "i2+c5");
    }

    [Fact]
    public async Task Stream_stream_join_drops_and_counts_records_later_than_window_plus_grace()
    {
        string impressions = await fixture.CreateTopicAsync("late-imp", 1);
        string clicks = await fixture.CreateTopicAsync("late-clk", 1);
        string joined = await fixture.CreateTopicAsync("late-joined", 1);
        var builder = new StreamsBuilder();
        var window = JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));
        builder.Stream<string, string>(impressions).Join(builder.Stream<string, string>(clicks), (i, c) => $"{i}+{c}", window, "late-join").To(joined);

        // The task takes the smaller head timestamp first: c3 (82 s), c2 (90 s), then i1 (100 s: stream time 100 s),
        // i2 (88 s: out of order but within 10 s + 5 s grace, joins c2) and i3 (80 s: older than 100 - 10 - 5 = 85 s,
        // so late: dropped, although c3 at 82 s, still kept, is within 10 s of it).
        await fixture.ProduceAsync(clicks, [("ad3", "c3", T0 + 82 * S), ("ad2", "c2", T0 + 90 * S)]);
        await fixture.ProduceAsync(impressions, [("ad1", "i1", T0 + 100 * S), ("ad2", "i2", T0 + 88 * S), ("ad3", "i3", T0 + 80 * S)]);
        var config = fixture.Config(StreamsFixture.Unique("latejoin"), output: output);
        config.MaxTaskIdleMs = 2000;
        await using var app = new StreamsApp(builder.Build(), config);
        await app.StartAsync();

        await StreamsFixture.WaitUntilAsync(() => app.Metrics.DroppedLateRecords >= 1, () => $"{app.Metrics.DroppedLateRecords} dropped");
        var pairs = fixture.ReadUntil(joined, Serdes.String, Serdes.String, r => r.Count >= 1, settle: TimeSpan.FromSeconds(1));
        Assert.Equal([("ad2", "i2+c2")], pairs.Select(r => (r.Key, r.Value)).ToList());
        Assert.Equal(1, app.Metrics.DroppedLateRecords);
    }

    [Fact]
    public async Task Table_table_join_follows_updates_on_both_sides()
    {
        string users = await fixture.CreateTopicAsync("users", 2, Compacted);
        string scores = await fixture.CreateTopicAsync("scores", 2, Compacted);
        string result = await fixture.CreateTopicAsync("user-scores", 1);
        var builder = new StreamsBuilder();
        var userTable = builder.Table<string, string>(users, Materialized<string, string>.As("users"));
        var scoreTable = builder.Table<string, string>(scores, Materialized<string, string>.As("scores"));
        userTable.Join(scoreTable, (name, score) => $"{name}={score}", Materialized<string, string>.As("user-scores")).ToStream().To(result);

        await fixture.ProduceAsync(users, [("u1", "ann", T0), ("u2", "ben", T0 + 1)]);
        await fixture.ProduceAsync(scores, [("u1", "10", T0 + 2), ("u3", "99", T0 + 3)]);
        await fixture.ProduceAsync(users, [("u1", "anna", T0 + 10)]);
        await fixture.ProduceAsync(scores, [("u2", "7", T0 + 11), ("u1", "12", T0 + 12)]);

        // Both inputs are there before the start: a task waits (max.task.idle.ms) until each of its partitions has
        // records, then processes them in timestamp order across the two topics.
        var config = fixture.Config(StreamsFixture.Unique("ttjoin"), output: output);
        config.MaxTaskIdleMs = 2000;
        await using var app = new StreamsApp(builder.Build(), config);
        await app.StartAsync();
        var read = fixture.ReadUntil(result, Serdes.String, Serdes.String, r => r.Count >= 4, settle: TimeSpan.FromMilliseconds(700));
        Assert.Equal(["ann=10", "anna=10", "anna=12", "ben=7"], read.Select(r => r.Value).Order());
        var store = app.Store<string, string>("user-scores");
        Assert.Equal("anna=12", store.Get("u1"));
        Assert.Equal("ben=7", store.Get("u2"));
        Assert.False(store.TryGet("u3", out _));
    }

    [Fact]
    public async Task Joining_topics_with_different_partition_counts_fails_at_start_naming_them()
    {
        string a = await fixture.CreateTopicAsync("copart-a", 2);
        string b = await fixture.CreateTopicAsync("copart-b", 3, Compacted);
        var builder = new StreamsBuilder();
        builder.Stream<string, string>(a).Join(builder.Table<string, string>(b), (x, y) => x + y).To(a);
        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("copart"), output: output));
        var error = await Assert.ThrowsAsync<TopologyException>(() => app.StartAsync());
        Assert.Contains("co-partitioned", error.Message);
        Assert.Contains($"{a} has 2", error.Message);
        Assert.Contains($"{b} has 3", error.Message);
        Assert.Equal(StreamsState.Error, app.State);

        var missing = new StreamsBuilder();
        missing.Stream<string, string>("no-such-topic-" + Guid.NewGuid().ToString("N")[..6]).To(a);
        await using var app2 = new StreamsApp(missing.Build(), fixture.Config(StreamsFixture.Unique("missing"), output: output));
        Assert.Contains("do not exist", (await Assert.ThrowsAsync<TopologyException>(() => app2.StartAsync())).Message);
    }
}
