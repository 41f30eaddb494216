using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>Windowed aggregations on event time: tumbling with grace and suppression, hopping, sliding, sessions.</summary>
[Collection(StreamsCollection.Name)]
public sealed class WindowTests(StreamsFixture fixture, ITestOutputHelper output)
{
    private const long T0 = 28_333_334L * 60_000; // a minute boundary
    private const long S = 1000;

    private static (string?, string?, long) R(string key, long offsetMs) => (key, "x", T0 + offsetMs);

    [Fact]
    public async Task Tumbling_minute_counts_accept_out_of_order_records_in_grace_drop_and_count_late_ones_and_suppress_to_final_rows()
    {
        string input = await fixture.CreateTopicAsync("tw-in");
        string updates = await fixture.CreateTopicAsync("tw-upd");
        string finals = await fixture.CreateTopicAsync("tw-final");
        var builder = new StreamsBuilder();
        var counts = builder.Stream<string, string>(input).GroupByKey()
            .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(30)))
            .Count(Materialized<Windowed<string>, long>.As("minute-counts"));
        var windowSerde = Serdes.Windowed(Serdes.String);
        counts.ToStream().To(updates, windowSerde, Serdes.Long);
        counts.SuppressUntilWindowCloses().ToStream().To(finals, windowSerde, Serdes.Long);

        await fixture.ProduceAsync(input, [
            R("a", 10 * S), R("a", 50 * S), R("b", 20 * S),
            R("a", 70 * S),
            R("a", 55 * S),   // out of order, window [0,60) open until stream time 90 s: counted
            R("b", 130 * S),  // stream time 130 s: window [0,60) closes
            R("a", 40 * S),   // late: dropped
            R("a", 95 * S),   // window [60,120) open until 150 s: counted
            R("b", 200 * S),  // closes [60,120)
            R("a", 59 * S),   // late: dropped
            R("z", 400 * S),  // moves stream time on: closes [120,180) and [180,240)
        ]);
        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("tw"), output: output));
        await app.StartAsync();

        var expectedFinal = new Dictionary<Windowed<string>, long>
        {
            [new("a", T0, T0 + 60 * S)] = 3,
            [new("b", T0, T0 + 60 * S)] = 1,
            [new("a", T0 + 60 * S, T0 + 120 * S)] = 2,
            [new("b", T0 + 120 * S, T0 + 180 * S)] = 1,
            [new("b", T0 + 180 * S, T0 + 240 * S)] = 1,
        };
        var final = fixture.ReadUntil(finals, windowSerde, Serdes.Long, r => r.Count >= expectedFinal.Count, settle: TimeSpan.FromSeconds(1));
        // One row per closed window, with its final count; the open window of z is not emitted.
        Assert.Equal(expectedFinal.OrderBy(e => e.Key.Start).ThenBy(e => e.Key.Key), final.Select(r => KeyValuePair.Create(r.Key, r.Value)).OrderBy(e => e.Key.Start).ThenBy(e => e.Key.Key));

        var all = fixture.ReadUntil(updates, windowSerde, Serdes.Long, r => r.Count >= 9, settle: TimeSpan.FromMilliseconds(500));
        Assert.Equal(9, all.Count); // every accepted record updates its window once
        Assert.Equal([1L, 2L, 3L], all.Where(r => r.Key.Equals(new Windowed<string>("a", T0, T0 + 60 * S))).Select(r => r.Value));
        Assert.Equal(2, app.Metrics.DroppedLateRecords);

        var store = app.WindowStore<string, long>("minute-counts");
        Assert.Equal(3, store.Get(new Windowed<string>("a", T0, T0 + 60 * S)));
        Assert.Equal(1, store.Get(new Windowed<string>("z", T0 + 360 * S, T0 + 420 * S)));
    }

    [Fact]
    public async Task Hopping_and_sliding_windows_aggregate_the_records_they_cover()
    {
        string input = await fixture.CreateTopicAsync("hs-in");
        string hopping = await fixture.CreateTopicAsync("hs-hop");
        string sliding = await fixture.CreateTopicAsync("hs-slide");
        var builder = new StreamsBuilder();
        var grouped = builder.Stream<string, string>(input).SelectValues(long.Parse).GroupByKey();
        var windowSerde = Serdes.Windowed(Serdes.String);
        grouped.WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)).AdvanceBy(TimeSpan.FromSeconds(5)))
            .Aggregate(() => 0L, (_, v, sum) => sum + v).ToStream().To(hopping, windowSerde, Serdes.Long);
        grouped.WindowedBy(SlidingWindows.OfTimeDifferenceAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)))
            .Reduce((a, b) => a + b).ToStream().To(sliding, windowSerde, Serdes.Long);

        // Values 1, 10, 100, 1000 at 2 s, 7 s, 12 s and 30 s (and one at 9 s arriving last, out of order).
        await fixture.ProduceAsync(input, [("k", "1", T0 + 2 * S), ("k", "10", T0 + 7 * S), ("k", "100", T0 + 12 * S), ("k", "1000", T0 + 30 * S), ("k", "5", T0 + 9 * S)]);
        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("hs"), output: output));
        await app.StartAsync();

        var hop = StreamsFixture.Latest(fixture.ReadUntil(hopping, windowSerde, Serdes.Long, r => r.Count >= 10, settle: TimeSpan.FromMilliseconds(500)));
        Windowed<string> W(long from, long to) => new("k", T0 + from * S, T0 + to * S);
        var expectedHop = new Dictionary<Windowed<string>, long>
        {
            [W(-5, 5)] = 1, [W(0, 10)] = 16, [W(5, 15)] = 115, [W(10, 20)] = 100, [W(25, 35)] = 1000, [W(30, 40)] = 1000,
        };
        Assert.Equal(expectedHop.OrderBy(e => e.Key.Start), hop.OrderBy(e => e.Key.Start));

        // Sliding: each record's window [t - 10 s, t] holds the records within it; the late 9 s record also updates later windows containing it.
        var slide = StreamsFixture.Latest(fixture.ReadUntil(sliding, windowSerde, Serdes.Long, r => StreamsFixture.Latest(r).Count >= 5, settle: TimeSpan.FromMilliseconds(500)));
        var expectedSlide = new Dictionary<Windowed<string>, long>
        {
            [W(-8, 2)] = 1, [W(-3, 7)] = 11, [W(2, 12)] = 116, [W(20, 30)] = 1000, [W(-1, 9)] = 16,
        };
        Assert.Equal(expectedSlide.OrderBy(e => e.Key.Start), slide.OrderBy(e => e.Key.Start));
    }

    [Fact]
    public async Task Session_windows_merge_and_split_as_the_gaps_dictate()
    {
        string input = await fixture.CreateTopicAsync("sw-in");
        string finals = await fixture.CreateTopicAsync("sw-final");
        var builder = new StreamsBuilder();
        var sessions = builder.Stream<string, string>(input).GroupByKey()
            .WindowedBy(SessionWindows.OfInactivityGapAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)))
            .Count(Materialized<Windowed<string>, long>.As("sessions"));
        var windowSerde = Serdes.Windowed(Serdes.String);
        sessions.SuppressUntilWindowCloses().ToStream().To(finals, windowSerde, Serdes.Long);

        await fixture.ProduceAsync(input, [
            R("k", 0), R("k", 5 * S),  // one session [0, 5]
            R("k", 30 * S),            // 25 s later: a new session
            R("k", 18 * S),            // 13 s after 5 and 12 s before 30: a session of its own
            R("k", 24 * S),            // within 10 s of both 18 and 30: merges them into [18, 30]
            R("k", 60 * S),            // a new session
            R("other", 200 * S),       // stream time moves on: every session of k closes
            R("k", 1 * S),             // late: dropped
        ]);
        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("sw"), output: output));
        await app.StartAsync();

        var final = fixture.ReadUntil(finals, windowSerde, Serdes.Long, r => r.Count >= 3, settle: TimeSpan.FromSeconds(1));
        Assert.Equal([(T0, T0 + 5 * S, 2L), (T0 + 18 * S, T0 + 30 * S, 3L), (T0 + 60 * S, T0 + 60 * S, 1L)],
            final.Select(r => (r.Key.Start, r.Key.End, r.Value)).OrderBy(x => x.Start));
        Assert.All(final, r => Assert.Equal("k", r.Key.Key));
        await StreamsFixture.WaitUntilAsync(() => app.Metrics.DroppedLateRecords == 1, () => $"{app.Metrics.DroppedLateRecords} dropped");
        // The merged-away sessions are gone from the store; the surviving ones are there.
        var store = app.WindowStore<string, long>("sessions");
        Assert.Equal(0, store.Get(new Windowed<string>("k", T0 + 30 * S, T0 + 30 * S)));
        Assert.Equal(3, store.Get(new Windowed<string>("k", T0 + 18 * S, T0 + 30 * S)));
    }

    [Fact]
    public async Task A_timestamp_extractor_sets_event_time_for_windows_of_a_source_reading_two_topics()
    {
        string first = await fixture.CreateTopicAsync("ex-a", 2);
        string second = await fixture.CreateTopicAsync("ex-b", 2);
        string counts = await fixture.CreateTopicAsync("ex-out");
        var builder = new StreamsBuilder();
        // The value is the event time in seconds after T0; the record timestamps (an hour later) must not matter.
        builder.Stream<string, string>([first, second], timestampExtractor: (_, v, _) => T0 + long.Parse(v) * S)
            .GroupByKey()
            .WindowedBy(TimeWindows.OfSizeAndGrace(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5)))
            .Count(Materialized<Windowed<string>, long>.As("extracted-counts"))
            .ToStream().To(counts, Serdes.Windowed(Serdes.String), Serdes.Long);
        long recordTime = T0 + 3_600 * S;
        await fixture.ProduceAsync(first, [("a", "10", recordTime), ("a", "70", recordTime)]);
        await fixture.ProduceAsync(second, [("a", "20", recordTime), ("b", "65", recordTime)]);

        await using var app = new StreamsApp(builder.Build(), fixture.Config(StreamsFixture.Unique("ex"), output: output));
        await app.StartAsync();
        var read = fixture.ReadUntil(counts, Serdes.Windowed(Serdes.String), Serdes.Long, r => r.Count >= 4, settle: TimeSpan.FromMilliseconds(500));
        var expected = new Dictionary<Windowed<string>, long>
        {
            [new("a", T0, T0 + 60 * S)] = 2, [new("a", T0 + 60 * S, T0 + 120 * S)] = 1, [new("b", T0 + 60 * S, T0 + 120 * S)] = 1,
        };
        Assert.Equal(expected.OrderBy(e => e.Key.ToString()), StreamsFixture.Latest(read).OrderBy(e => e.Key.ToString()));
        Assert.Equal(4, read.Count);
        // Results carry the extracted event time, not the record's.
        Assert.Equal(T0 + 65 * S, read.Single(r => r.Key.Key == "b").Timestamp);
    }
}
