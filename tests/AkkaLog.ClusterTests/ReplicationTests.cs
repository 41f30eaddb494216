using AkkaLog.Client;
using AkkaLog.Client.Admin;
using AkkaLog.TestSupport;

namespace AkkaLog.ClusterTests;

/// <summary>Three brokers and etcd: placement, replication, acks=all and metadata, without failures.</summary>
public sealed class ReplicationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_replicated_topic_is_placed_on_every_broker_and_serves_acks_all()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("rep", 3, 3, new() { ["min.insync.replicas"] = "2" });

        var described = (await cluster.DescribeAsync("rep"))!;
        Assert.All(described.Partitions, p =>
        {
            Assert.Equal([1, 2, 3], p.Replicas.Order());
            Assert.Equal(3, p.InSyncReplicas.Count);
            Assert.Equal(p.Replicas[0], p.Leader);
        });
        Assert.Equal(3, described.Partitions.Select(p => p.Leader).Distinct().Count()); // leadership spread round-robin

        await using (var admin = cluster.Admin())
        {
            var description = await admin.DescribeClusterAsync();
            Assert.Equal([1, 2, 3], description.Brokers.Select(b => b.Id).Order());
            Assert.Contains(description.ControllerId, new[] { 1, 2, 3 });
        }

        await using (var producer = new ContinuousProducer(cluster.Bootstrap, "rep"))
        {
            await producer.WaitForAcksAsync(300, TimeSpan.FromSeconds(30));
            await producer.StopAsync();
            Assert.Empty(producer.Failed);
            var log = await LogVerifier.ReadAllAsync(cluster.Bootstrap, "rep");
            LogVerifier.AssertAcknowledgedRecordsSurvive(log, producer.Acked);
            output.WriteLine($"{producer.Acked.Count} records acknowledged and read back");
        }

        // Followers hold the same data: each broker alone (no leader elsewhere to ask) cannot be
        // read directly, so check that every ISR still lists all three replicas after the writes.
        var after = (await cluster.DescribeAsync("rep"))!;
        Assert.All(after.Partitions, p => Assert.Equal(3, p.InSyncReplicas.Count));
    }

    [Fact]
    public async Task Only_the_leader_accepts_writes_and_every_broker_names_it()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("one", 1, 3);
        var d = (await cluster.DescribeAsync("one"))!;
        int leader = d.Partitions[0].Leader;
        foreach (var (id, broker) in cluster.Brokers)
        {
            var error = await RawRequests.ProduceOneAsync(broker.Port, "one", 0, acks: -1, $"via-{id}");
            Assert.Equal(id == leader ? AkkaLog.Protocol.ErrorCode.None : AkkaLog.Protocol.ErrorCode.NotLeaderOrFollower, error);
            var meta = await Kcat.RunCheckedAsync(broker.Bootstrap, ["-L", "-t", "one"]);
            Assert.Contains($"leader {leader},", meta.Stdout);
        }
        var log = await LogVerifier.ReadAllAsync(cluster.Bootstrap, "one");
        Assert.Equal([$"via-{leader}"], log[0].Values);
    }

    [Fact]
    public async Task Replication_factor_above_the_live_brokers_is_refused()
    {
        await using var cluster = await TestCluster.StartAsync(2);
        await using var admin = cluster.Admin();
        var e = await Assert.ThrowsAsync<KafkaAdminException>(() => admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = "too-many", NumPartitions = 1, ReplicationFactor = 3,
        }]));
        Assert.Contains(e.Results, r => r.Error.Code == AkkaLog.Protocol.ErrorCode.InvalidReplicationFactor);
    }
}
