using AkkaLog.Client.Tests.Infrastructure;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>Keyed records land on the partition librdkafka's murmur2_random (= the Java client's choice) picks.</summary>
[Collection(BrokerCollection.Name)]
public sealed class PartitionerCompatTests(BrokerFixture fixture)
{
    [Fact]
    public async Task Keyed_records_go_where_kcat_with_murmur2_random_puts_them()
    {
        const int partitions = 6;
        var keys = Enumerable.Range(0, 200).Select(i => $"user-{i * 7919}").Append("kafka").ToList();
        string kcatTopic = await fixture.CreateTopicAsync("part-kcat", partitions);
        string ourTopic = await fixture.CreateTopicAsync("part-ours", partitions);

        // kcat: key and value split at ':'; keys here are never empty (kcat may send an empty key as null).
        string input = string.Join('\n', keys.Select(k => $"{k}:v")) + "\n";
        await Kcat.RunCheckedAsync(fixture.Bootstrap, ["-P", "-t", kcatTopic, "-K:", "-X", "partitioner=murmur2_random"], input);
        var kcatPartition = new Dictionary<string, int>();
        foreach (var line in (await Kcat.ConsumeAllAsync(fixture.Bootstrap, kcatTopic, "%p|%k\\n")).Lines)
        {
            int bar = line.IndexOf('|');
            kcatPartition[line[(bar + 1)..]] = int.Parse(line[..bar]);
        }
        Assert.Equal(keys.Count, kcatPartition.Count);

        await using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = fixture.Bootstrap }).Build();
        var results = await Task.WhenAll(keys.Select(k => producer.ProduceAsync(ourTopic, new Message<string, string> { Key = k, Value = "v" })));
        foreach (var r in results) Assert.True(kcatPartition[r.Key] == r.Partition.Value, $"key '{r.Key}': kcat {kcatPartition[r.Key]}, ours {r.Partition.Value}");
        // The keys must actually spread, or the comparison proves little.
        Assert.True(results.Select(r => r.Partition.Value).Distinct().Count() == partitions);
    }
}
