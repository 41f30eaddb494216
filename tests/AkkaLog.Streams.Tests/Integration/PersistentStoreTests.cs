using AkkaLog.Client;
using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>
/// A persistent store's task moves to another instance and back: the returning instance reads its local file
/// up to its checkpoint and only the changelog's tail written meanwhile, and ends up with the other instance's counts.
/// </summary>
[Collection(StreamsCollection.Name)]
public sealed class PersistentStoreTests(StreamsFixture fixture, ITestOutputHelper output)
{
    private static Topology Counts(string input)
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>(input).GroupByKey().Count(Materialized<string, long>.As("pcounts", StoreType.Persistent));
        return builder.Build();
    }

    private static IEnumerable<(string?, string?, long)> Records(int from, int count) =>
        Enumerable.Range(from, count).Select(i => ((string?)$"k{i % 5}", (string?)"x", 1_000L + i));

    private static Task WaitForCountsAsync(StreamsApp app, long count) =>
        StreamsFixture.WaitUntilAsync(() => app.State == StreamsState.Running && Enumerable.Range(0, 5).All(i => app.Store<string, long>("pcounts").Get($"k{i}") == count),
            () => $"counts: {string.Join(", ", app.Store<string, long>("pcounts").All().OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value}"))}");

    [Fact]
    public async Task A_returning_instance_loads_its_file_and_restores_only_the_changelog_tail_written_while_away()
    {
        string input = await fixture.CreateTopicAsync("ps-in");
        string app = StreamsFixture.Unique("ps");
        string dirA = fixture.NewStateDir(), dirB = fixture.NewStateDir();

        await using (var a = new StreamsApp(Counts(input), fixture.Config(app, dirA, output)))
        {
            await a.StartAsync();
            await a.WaitUntilRunningAsync(TimeSpan.FromSeconds(60));
            await fixture.ProduceAsync(input, Records(0, 50));
            await WaitForCountsAsync(a, 10);
            await a.StopAsync(); // commits and checkpoints
        }
        await using (var b = new StreamsApp(Counts(input), fixture.Config(app, dirB, output)))
        {
            await b.StartAsync();
            await b.WaitUntilRunningAsync(TimeSpan.FromSeconds(60));
            Assert.True(b.Metrics.RestoredRecords > 0 && b.Metrics.LoadedFromLocalRecords == 0, "b has no file: it must restore all from the changelog");
            await fixture.ProduceAsync(input, Records(50, 50));
            await WaitForCountsAsync(b, 20);
            await b.StopAsync();
        }

        long changelogEnd;
        using (var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = fixture.Bootstrap }).Build())
            changelogEnd = consumer.QueryWatermarkOffsets(new TopicPartition($"{app}-pcounts-changelog", 0), TimeSpan.FromSeconds(10)).High.Value;

        await using var a2 = new StreamsApp(Counts(input), fixture.Config(app, dirA, output));
        await a2.StartAsync();
        await a2.WaitUntilRunningAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"a back: loaded {a2.Metrics.LoadedFromLocalRecords} from its file, restored {a2.Metrics.RestoredRecords} of {changelogEnd} changelog records");
        Assert.True(a2.Metrics.LoadedFromLocalRecords > 0, "a did not use its local file");
        Assert.InRange(a2.Metrics.RestoredRecords, 1, changelogEnd - 1); // the tail b wrote, not the whole changelog
        foreach (var i in Enumerable.Range(0, 5)) Assert.Equal(20, a2.Store<string, long>("pcounts").Get($"k{i}"));

        await fixture.ProduceAsync(input, Records(100, 50));
        await WaitForCountsAsync(a2, 30);
        Assert.Equal(50, a2.Metrics.ProcessedRecords);
    }

    [Fact]
    public async Task A_checkpoint_past_a_recreated_changelog_wipes_the_local_state_instead_of_counting_it_again()
    {
        // An application reset: the changelog and the group's offsets are deleted, the state directory is kept.
        // The store's checkpoint then points past the new, empty changelog: the file must be dropped, or the
        // reprocessed input would be counted on top of the old counts.
        string input = await fixture.CreateTopicAsync("ps-reset-in");
        string app = StreamsFixture.Unique("psr");
        string dir = fixture.NewStateDir();
        await fixture.ProduceAsync(input, Records(0, 50));

        await using (var first = new StreamsApp(Counts(input), fixture.Config(app, dir, output)))
        {
            await first.StartAsync();
            await first.WaitUntilRunningAsync(TimeSpan.FromSeconds(60));
            await WaitForCountsAsync(first, 10);
            await first.StopAsync(); // commits and checkpoints
        }
        await using (var admin = fixture.Admin())
        {
            await admin.DeleteGroupsAsync([app]);
            await admin.DeleteTopicsAsync([$"{app}-pcounts-changelog"]);
        }

        await using var second = new StreamsApp(Counts(input), fixture.Config(app, dir, output));
        await second.StartAsync();
        await second.WaitUntilRunningAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, second.Metrics.WipedStores);
        await WaitForCountsAsync(second, 10);
        Assert.Equal(50, second.Metrics.ProcessedRecords);
        // Nothing more arrives: the counts stay at what the input holds once.
        await Task.Delay(500);
        foreach (var i in Enumerable.Range(0, 5)) Assert.Equal(10, second.Store<string, long>("pcounts").Get($"k{i}"));
    }
}
