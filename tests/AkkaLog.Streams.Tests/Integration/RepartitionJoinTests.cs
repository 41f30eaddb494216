using AkkaLog.Streams.Tests.Infrastructure;

namespace AkkaLog.Streams.Tests.Integration;

/// <summary>Joins whose sides are re-keyed first: both sides go through repartition topics, which must come out co-partitioned.</summary>
[Collection(StreamsCollection.Name)]
public sealed class RepartitionJoinTests(StreamsFixture fixture, ITestOutputHelper output)
{
    private const long T0 = 1_700_000_000_000;
    private const long S = 1000;

    [Fact]
    public async Task A_stream_stream_join_of_two_rekeyed_streams_from_topics_with_different_partition_counts_pairs_by_the_new_key()
    {
        // Impressions and clicks keyed by their own ids (value "ad:id"), in topics of 3 and 2 partitions.
        string impressions = await fixture.CreateTopicAsync("rimp", 3);
        string clicks = await fixture.CreateTopicAsync("rclk", 2);
        string joined = await fixture.CreateTopicAsync("rimp-clk", 1);
        var builder = new StreamsBuilder();
        var imp = builder.Stream<string, string>(impressions).SelectKey((_, v) => v.Split(':')[0]);
        var clk = builder.Stream<string, string>(clicks).SelectKey((_, v) => v.Split(':')[0]);
        imp.Join(clk, (i, c) => $"{i.Split(':')[1]}+{c.Split(':')[1]}",
            JoinWindows.OfTimeDifferenceAndGrace(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)), "ad-join").To(joined);

        // ad1: impression at 0 s, clicks at 5 s (pair) and 12 s (too far); ad2: impression at 30 s, click at 25 s (pair); ad3: no click.
        await fixture.ProduceAsync(impressions, [("i1", "ad1:i1", T0), ("i2", "ad2:i2", T0 + 30 * S), ("i3", "ad3:i3", T0 + 40 * S)]);
        await fixture.ProduceAsync(clicks, [("c1", "ad1:c1", T0 + 5 * S), ("c2", "ad1:c2", T0 + 12 * S), ("c3", "ad2:c3", T0 + 25 * S)]);

        string app = StreamsFixture.Unique("rjoin");
        await using var streams = new StreamsApp(builder.Build(), fixture.Config(app, output: output));
        await streams.StartAsync();
        var pairs = fixture.ReadUntil(joined, Serdes.String, Serdes.String, r => r.Count >= 2, settle: TimeSpan.FromSeconds(1));
        Assert.Equal([("ad1", "i1+c1"), ("ad2", "i2+c3")], pairs.Select(r => (r.Key, r.Value)).Order());

        // Both repartition topics take the larger input's partition count, as Kafka Streams does.
        await using var admin = fixture.Admin();
        var described = await admin.DescribeTopicsAsync([$"{app}-ad-join-left-repartition", $"{app}-ad-join-right-repartition"]);
        Assert.All(described, d => Assert.Equal(3, d.Partitions.Count));
    }
}
