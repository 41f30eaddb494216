using AkkaLog.Client.Admin;
using AkkaLog.Client.Tests.Infrastructure;
using AkkaLog.Protocol;

namespace AkkaLog.Client.Tests.Integration;

/// <summary>The admin client against a real broker: topics, configs, records, cluster, groups.</summary>
[Collection(BrokerCollection.Name)]
public sealed class AdminTests(BrokerFixture fixture)
{
    [Fact]
    public async Task Topics_are_created_described_grown_and_deleted()
    {
        await using var admin = fixture.Admin();
        string name = "admin-" + Guid.NewGuid().ToString("N")[..12];
        await admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = name, NumPartitions = 3, ReplicationFactor = 1, Configs = new() { ["retention.ms"] = "123456" },
        }]);

        var described = Assert.Single(await admin.DescribeTopicsAsync([name]));
        Assert.Equal(name, described.Name);
        Assert.Equal([0, 1, 2], described.Partitions.Select(p => p.Partition));
        Assert.All(described.Partitions, p => Assert.True(p.Leader >= 0));
        Assert.Contains(name, await admin.ListTopicsAsync());

        var again = await Assert.ThrowsAsync<KafkaAdminException>(() =>
            admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = 1, ReplicationFactor = 1 }]));
        Assert.Equal(ErrorCode.TopicAlreadyExists, again.Code);

        await admin.CreatePartitionsAsync([new PartitionsSpecification(name, 5)]);
        Assert.Equal(5, (await admin.DescribeTopicsAsync([name]))[0].Partitions.Count);

        await admin.DeleteTopicsAsync([name]);
        var gone = await Assert.ThrowsAsync<KafkaAdminException>(() => admin.DescribeTopicsAsync([name]));
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, gone.Code);
        Assert.DoesNotContain(name, await admin.ListTopicsAsync());
    }

    [Fact]
    public async Task Topic_configs_are_described_and_altered_incrementally()
    {
        string topic = await fixture.CreateTopicAsync("cfg", configs: new() { ["retention.ms"] = "123456" });
        await using var admin = fixture.Admin();
        var resource = new ConfigResource(ResourceType.Topic, topic);

        var before = Assert.Single(await admin.DescribeConfigsAsync([resource]));
        Assert.Equal("123456", before.Entries["retention.ms"].Value);
        Assert.False(before.Entries["retention.ms"].IsDefault);

        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, IReadOnlyList<ConfigEntry>>
        {
            [resource] = [new ConfigEntry("retention.ms", "654321"), new ConfigEntry("cleanup.policy", "compact")],
        });
        var after = (await admin.DescribeConfigsAsync([resource]))[0].Entries;
        Assert.Equal("654321", after["retention.ms"].Value);
        Assert.Equal("compact", after["cleanup.policy"].Value);

        await admin.IncrementalAlterConfigsAsync(new Dictionary<ConfigResource, IReadOnlyList<ConfigEntry>>
        {
            [resource] = [new ConfigEntry("retention.ms", null, AlterConfigOpType.Delete)],
        });
        Assert.True((await admin.DescribeConfigsAsync([resource]))[0].Entries["retention.ms"].IsDefault);
    }

    [Fact]
    public async Task Cluster_is_described_and_records_deleted()
    {
        await using var admin = fixture.Admin();
        var cluster = await admin.DescribeClusterAsync();
        var broker = Assert.Single(cluster.Brokers);
        Assert.Equal(fixture.Broker.Port, broker.Port);

        string topic = await fixture.CreateTopicAsync("delrec");
        await using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = fixture.Bootstrap }).Build())
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => producer.ProduceAsync(topic, new Message<Null, string> { Value = $"{i}" })));
        }
        var deleted = Assert.Single(await admin.DeleteRecordsAsync([new TopicPartitionOffset(topic, 0, 5)]));
        Assert.Equal(5, deleted.LowWatermark.Value);
        var remaining = (await Kcat.ConsumeAllAsync(fixture.Bootstrap, topic, "%s\\n")).Lines;
        Assert.Equal(["5", "6", "7", "8", "9"], remaining);
    }

    [Fact]
    public async Task Group_offsets_are_altered_listed_described_and_deleted()
    {
        string topic = await fixture.CreateTopicAsync("grp", partitions: 2);
        string group = "group-" + Guid.NewGuid().ToString("N")[..12];
        await using var admin = fixture.Admin();

        await admin.AlterConsumerGroupOffsetsAsync(group, [new TopicPartitionOffset(topic, 0, 42), new TopicPartitionOffset(topic, 1, 7)]);

        var offsets = await admin.ListConsumerGroupOffsetsAsync(group);
        Assert.Equal([(0, 42L), (1, 7L)], offsets.Where(o => o.TopicPartition.Topic == topic)
            .OrderBy(o => o.TopicPartition.Partition.Value).Select(o => (o.TopicPartition.Partition.Value, o.Offset.Value)));
        var one = Assert.Single(await admin.ListConsumerGroupOffsetsAsync(group, [new TopicPartition(topic, 1)]));
        Assert.Equal(7, one.Offset.Value);

        Assert.Contains(group, (await admin.ListGroupsAsync()).Select(g => g.GroupId));
        var description = Assert.Single(await admin.DescribeGroupsAsync([group]));
        Assert.Equal("Empty", description.State);
        Assert.Empty(description.Members);

        await admin.DeleteGroupsAsync([group]);
        Assert.DoesNotContain(group, (await admin.ListGroupsAsync()).Select(g => g.GroupId));
    }

    [Fact]
    public async Task Partition_moves_and_leader_elections_report_per_partition()
    {
        string topic = await fixture.CreateTopicAsync("admin-moves", partitions: 2);
        await using var admin = fixture.Admin();
        var p0 = new TopicPartition(topic, 0);
        var p1 = new TopicPartition(topic, 1);

        // One broker (id 0): moving to broker 7 is refused, cancelling a move that is not happening too.
        var moves = await admin.AlterPartitionReassignmentsAsync(new Dictionary<TopicPartition, IReadOnlyList<int>?> { [p0] = [7], [p1] = null });
        Assert.Equal(ErrorCode.InvalidReplicaAssignment, Assert.Single(moves, r => r.TopicPartition == p0).Error.Code);
        Assert.Equal(ErrorCode.NoReassignmentInProgress, Assert.Single(moves, r => r.TopicPartition == p1).Error.Code);
        Assert.Empty(await admin.ListPartitionReassignmentsAsync([p0, p1]));

        // The only replica already leads: nothing to elect.
        var elected = await admin.ElectLeadersAsync(ElectionType.Preferred, [p0, p1]);
        Assert.Equal(2, elected.Count);
        Assert.All(elected, r => Assert.Equal(ErrorCode.ElectionNotNeeded, r.Error.Code));
        var unknown = await admin.ElectLeadersAsync(ElectionType.Preferred, [new TopicPartition("no-such-topic-" + Guid.NewGuid().ToString("N")[..8], 0)]);
        Assert.Equal(ErrorCode.UnknownTopicOrPartition, Assert.Single(unknown).Error.Code);
    }
}
