using AkkaLog.Protocol.Partitioning;
using System.Text;
using AkkaLog.IntegrationTests.Fixtures;
using AkkaLog.IntegrationTests.Infrastructure;

namespace AkkaLog.IntegrationTests.Tests;

/// <summary>kafkajs 2.2.4 admin and producer (none, gzip, snappy) against the broker; content read back with kcat.</summary>
[Collection(SharedBrokerCollection.Name)]
public sealed class KafkajsCompatTests(SharedBrokerFixture fixture, ITestOutputHelper output)
{
    private BrokerProcess Broker => fixture.Broker;

    [Fact]
    public Task Admin_create_list_metadata_describe_delete() => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique("kjs-admin");
        var result = await Kafkajs.RunScriptAsync("admin.js", Broker.Bootstrap, new Dictionary<string, string> { ["TOPIC"] = topic });
        output.WriteLine(result.Stdout);
        Assert.True(result.ExitCode == 0, result.Describe("node admin.js"));
        Assert.Equal(
            [
                $"OK createTopics {topic}",
                "OK createTopics existing=false",
                "OK listTopics contains topic",
                "OK fetchTopicMetadata partitions=3",
                "OK describeConfigs retention.ms=3600000 cleanup.policy=delete",
                "OK deleteTopics gone",
            ],
            result.Lines.Where(l => l.StartsWith("OK ", StringComparison.Ordinal)));

        await using var client = await Broker.ConnectAsync();
        var metadata = await client.MetadataAsync([topic]);
        Assert.Equal(3, Assert.Single(metadata.Topics).ErrorCode); // deleted: UNKNOWN_TOPIC_OR_PARTITION
    });

    [Fact]
    public Task Producer_with_each_codec_and_offset_queries() => Broker.WithLogOnFailure(output, async () =>
    {
        string topic = TopicNames.Unique("kjs-produce");
        var result = await Kafkajs.RunScriptAsync("produce.js", Broker.Bootstrap, new Dictionary<string, string> { ["TOPIC"] = topic });
        output.WriteLine(result.Stdout);
        Assert.True(result.ExitCode == 0, result.Describe("node produce.js"));
        var okLines = result.Lines.Where(l => l.StartsWith("OK ", StringComparison.Ordinal)).ToList();
        Assert.Equal("OK send none 100", okLines[0]);
        Assert.Equal("OK send gzip 100", okLines[1]);
        Assert.Equal("OK send snappy 100", okLines[2]);
        Assert.StartsWith("OK fetchTopicOffsets total=300 ", okLines[3]);
        Assert.Equal("OK fetchTopicOffsetsByTimestamp after=100", okLines[4]);
        Assert.Equal("OK fetchTopicOffsetsByTimestamp start=0 future=high", okLines[5]);

        var consumed = await Kcat.RunCheckedAsync(Broker.Bootstrap,
            ["-C", "-t", topic, "-o", "beginning", "-e", "-f", "%p|%o|%k|%s|%h\\n"]);
        var lines = consumed.Lines;
        Assert.True(lines.Length == 300, consumed.Describe($"expected 300 records, got {lines.Length}"));
        var expected = new[] { "none", "gzip", "snappy" }
            .SelectMany(codec => Enumerable.Range(0, 100).Select(i => (Key: $"{codec}-k-{i}", Value: $"{codec}-v-{i}")))
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        var seen = new HashSet<string>();
        var nextOffset = new long[2];
        foreach (var line in lines)
        {
            var f = line.Split('|');
            int partition = int.Parse(f[0]);
            Assert.Equal(nextOffset[partition]++, long.Parse(f[1]));
            Assert.True(expected.TryGetValue(f[2], out var value), $"unexpected key in {line}");
            Assert.Equal(value, f[3]);
            Assert.Equal("src=kafkajs", f[4]);
            Assert.True(seen.Add(f[2]), $"duplicate {line}");
            // kafkajs' DefaultPartitioner is Java's murmur2.
            Assert.Equal(Murmur2.Partition(Encoding.UTF8.GetBytes(f[2]), 2), partition);
        }
        Assert.Equal(300, seen.Count);
        Assert.EndsWith($"p0={nextOffset[0]} p1={nextOffset[1]}", okLines[3]);
    });
}
