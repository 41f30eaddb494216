using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>The classic: lines split into words, re-keyed by word (a repartition topic), counted into a table.</summary>
[Collection(StreamsCollection.Name)]
public sealed class WordCountTests(StreamsFixture fixture, ITestOutputHelper output)
{
    internal static Topology WordCount(string input, string outputTopic, string store)
    {
        var builder = new StreamsBuilder();
        builder.Stream<string, string>(input)
            .SelectManyValues(line => line.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy((_, word) => word, Grouped<string, string>.As("words"))
            .Count(Materialized<string, long>.As(store))
            .ToStream()
            .To(outputTopic, Serdes.String, Serdes.Long);
        return builder.Build();
    }

    [Fact]
    public async Task Word_count_over_lines_gives_exactly_the_expected_counts()
    {
        string input = await fixture.CreateTopicAsync("wc-in", partitions: 3);
        string outputTopic = await fixture.CreateTopicAsync("wc-out", partitions: 2);
        var lines = new List<string>();
        var random = new Random(7);
        string[] vocabulary = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Stream", "table"];
        for (int i = 0; i < 400; i++) lines.Add(string.Join(' ', Enumerable.Range(0, 1 + random.Next(8)).Select(_ => vocabulary[random.Next(vocabulary.Length)])));
        var expected = lines.SelectMany(l => l.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(w => w).ToDictionary(g => g.Key, g => (long)g.Count());
        await fixture.ProduceAsync(input, lines.Select((l, i) => ((string?)$"line-{i}", (string?)l, 1_000L + i)));

        string app = StreamsFixture.Unique("wc");
        await using var streams = new StreamsApp(WordCount(input, outputTopic, "counts"), fixture.Config(app, output: output));
        await streams.StartAsync();

        var read = fixture.ReadUntil(outputTopic, Serdes.String, Serdes.Long,
            r => StreamsFixture.Latest(r).Count == expected.Count && expected.All(e => StreamsFixture.Latest(r).GetValueOrDefault(e.Key) >= e.Value),
            settle: TimeSpan.FromMilliseconds(500));
        Assert.Equal(expected.OrderBy(e => e.Key), StreamsFixture.Latest(read).OrderBy(e => e.Key));
        // Every update is emitted: one output record per word occurrence, counting up by one.
        Assert.Equal(expected.Values.Sum(), read.Count);
        Assert.All(read.GroupBy(r => r.Key), g => Assert.Equal(Enumerable.Range(1, g.Count()).Select(i => (long)i), g.Select(r => r.Value)));

        // Interactive query: the store holds the same counts.
        var store = streams.Store<string, long>("counts");
        foreach (var (word, count) in expected) Assert.Equal(count, store.Get(word));
        Assert.Equal(0L, store.Get("absent-word"));
        Assert.Equal(StreamsState.Running, streams.State);

        await using var admin = fixture.Admin();
        var topics = await admin.ListTopicsAsync();
        Assert.Contains($"{app}-words-repartition", topics);
        Assert.Contains($"{app}-counts-changelog", topics);
        var changelog = (await admin.DescribeConfigsAsync([new AkkaLog.Client.Admin.ConfigResource(AkkaLog.Client.Admin.ResourceType.Topic, $"{app}-counts-changelog")]))[0];
        Assert.Equal("compact", changelog.Entries["cleanup.policy"].Value);
        output.WriteLine(WordCount(input, outputTopic, "counts").Describe());
    }
}
