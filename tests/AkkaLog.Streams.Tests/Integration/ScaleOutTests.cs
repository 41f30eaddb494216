using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>Instances of one application share its tasks through the group; when one stops or one joins, tasks and their state move.</summary>
[Collection(StreamsCollection.Name)]
public sealed class ScaleOutTests(StreamsFixture fixture, ITestOutputHelper output)
{
    private static Topology CountPerKey(string input, string outputTopic)
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>(input).GroupByKey().Count(Materialized<string, long>.As("per-key"))
            .ToStream().To(outputTopic, Serdes.String, Serdes.Long);
        return builder.Build();
    }

    private static IEnumerable<(string?, string?, long)> Records(int from, int count) =>
        Enumerable.Range(from, count).Select(i => ((string?)$"k{i % 24}", (string?)"x", 1_000L + i));

    [Fact]
    public async Task Two_instances_share_the_partitions_and_stopping_one_moves_its_tasks_and_state_to_the_other()
    {
        string input = await fixture.CreateTopicAsync("so-in", partitions: 4);
        string outputTopic = await fixture.CreateTopicAsync("so-out", partitions: 1);
        string app = StreamsFixture.Unique("so");
        await using var a = new StreamsApp(CountPerKey(input, outputTopic), fixture.Config(app, output: output));
        await using var b = new StreamsApp(CountPerKey(input, outputTopic), fixture.Config(app, output: output));

        await a.StartAsync();
        await StreamsFixture.WaitUntilAsync(() => a.ActiveTasks.Count == 4, () => $"a: {string.Join(",", a.ActiveTasks)}");
        await b.StartAsync();
        await StreamsFixture.WaitUntilAsync(() => a.ActiveTasks.Count == 2 && b.ActiveTasks.Count == 2 && a.State == StreamsState.Running && b.State == StreamsState.Running,
            () => $"a: {string.Join(",", a.ActiveTasks)} b: {string.Join(",", b.ActiveTasks)}");
        Assert.Empty(a.ActiveTasks.Intersect(b.ActiveTasks));

        await fixture.ProduceAsync(input, Records(0, 2400));
        var expected = Enumerable.Range(0, 24).ToDictionary(i => $"k{i}", _ => 100L);
        fixture.ReadUntil(outputTopic, Serdes.String, Serdes.Long, r => expected.All(e => StreamsFixture.Latest(r).GetValueOrDefault(e.Key) == e.Value));
        Assert.True(a.Metrics.ProcessedRecords > 0 && b.Metrics.ProcessedRecords > 0, $"a processed {a.Metrics.ProcessedRecords}, b {b.Metrics.ProcessedRecords}");
        Assert.Equal(2400, a.Metrics.ProcessedRecords + b.Metrics.ProcessedRecords);

        // Each key lives in exactly one instance; the other says so when queried.
        var storeA = a.Store<string, long>("per-key");
        var storeB = b.Store<string, long>("per-key");
        int inA = 0;
        foreach (var key in expected.Keys)
        {
            long? fromA = Try(() => storeA.Get(key)), fromB = Try(() => storeB.Get(key));
            Assert.True(fromA is null ^ fromB is null, $"{key}: a={fromA} b={fromB}");
            Assert.Equal(100, fromA ?? fromB);
            if (fromA is not null) inA++;
        }
        Assert.InRange(inA, 1, 23);

        // a leaves: b takes over its tasks, restoring their state from the changelog.
        long restoredBefore = b.Metrics.RestoredRecords;
        await a.StopAsync();
        await StreamsFixture.WaitUntilAsync(() => b.ActiveTasks.Count == 4 && b.State == StreamsState.Running, () => $"b: {string.Join(",", b.ActiveTasks)}");
        Assert.True(b.Metrics.RestoredRecords > restoredBefore, "b did not restore the moved tasks' state");
        foreach (var key in expected.Keys) Assert.Equal(100, storeB.Get(key));

        await fixture.ProduceAsync(input, Records(2400, 2400));
        var read = fixture.ReadUntil(outputTopic, Serdes.String, Serdes.Long, r => expected.All(e => StreamsFixture.Latest(r).GetValueOrDefault(e.Key) >= 200),
            settle: TimeSpan.FromMilliseconds(500));
        Assert.All(StreamsFixture.Latest(read), kv => Assert.Equal(200, kv.Value));

        // A new instance joins: it takes half of the tasks and restores their state before counting on.
        await using var c = new StreamsApp(CountPerKey(input, outputTopic), fixture.Config(app, output: output));
        await c.StartAsync();
        await StreamsFixture.WaitUntilAsync(() => b.ActiveTasks.Count == 2 && c.ActiveTasks.Count == 2 && c.State == StreamsState.Running,
            () => $"b: {string.Join(",", b.ActiveTasks)} c: {string.Join(",", c.ActiveTasks)}");
        Assert.True(c.Metrics.RestoredRecords > 0, "c did not restore the state of the tasks it took over");
        await fixture.ProduceAsync(input, Records(4800, 2400));
        read = fixture.ReadUntil(outputTopic, Serdes.String, Serdes.Long, r => expected.All(e => StreamsFixture.Latest(r).GetValueOrDefault(e.Key) >= 300),
            settle: TimeSpan.FromMilliseconds(500));
        Assert.All(StreamsFixture.Latest(read), kv => Assert.Equal(300, kv.Value));
        Assert.True(c.Metrics.ProcessedRecords > 0);
    }

    private static long? Try(Func<long> get)
    {
        try { return get(); }
        catch (InvalidOperationException) { return null; }
    }
}
