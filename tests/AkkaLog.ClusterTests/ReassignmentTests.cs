using AkkaLog.Client;
using AkkaLog.Protocol.Messages;
using ErrorCode = AkkaLog.Protocol.ErrorCode;

namespace AkkaLog.ClusterTests;

/// <summary>Moving a partition to a new broker while it is written and read; preferred leader election.</summary>
public sealed class ReassignmentTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_partition_moves_to_a_new_fourth_broker_without_interrupting_its_reader()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("move", 1, 3, new() { ["min.insync.replicas"] = "2" });
        var before = (await cluster.DescribeAsync("move"))!.Partitions[0];
        int leaving = before.Leader;

        await using var producer = new ContinuousProducer(cluster.Bootstrap, "move");
        await producer.WaitForAcksAsync(500, TimeSpan.FromSeconds(30));

        // A reader that follows the partition the whole time.
        var read = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stopReading = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<string, string>(new Dictionary<string, string>
            {
                ["bootstrap.servers"] = cluster.Bootstrap, ["group.id"] = "unused", ["enable.auto.commit"] = "false",
                ["metadata.max.age.ms"] = "2000",
            }).Build();
            consumer.Assign([new TopicPartitionOffset("move", 0, Offset.Beginning)]);
            while (!stopReading.IsCancellationRequested)
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } r) read.Enqueue(r.Message.Value);
        });

        await cluster.AddBrokerAsync(4);
        var target = new[] { 4 }.Concat(before.Replicas.Where(r => r != leaving)).ToList();
        var alter = new AlterPartitionReassignmentsRequest();
        alter.Topics.Add(new AlterPartitionReassignmentsRequest.ReassignableTopic
        {
            Name = "move", Partitions = [new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = target }],
        });
        var altered = await RawRequests.SendAsync<AlterPartitionReassignmentsResponse>(cluster.Brokers[1].Port, alter, 0);
        Assert.Equal((short)ErrorCode.None, altered.Responses[0].Partitions[0].ErrorCode);
        output.WriteLine($"moving move-0 from [{string.Join(',', before.Replicas)}] to [{string.Join(',', target)}]");

        await cluster.WaitForAsync("the reassignment to finish", async () =>
        {
            var listed = await RawRequests.SendAsync<ListPartitionReassignmentsResponse>(cluster.Brokers[2].Port,
                new ListPartitionReassignmentsRequest { Topics = null }, 0);
            var d = await cluster.DescribeAsync("move");
            return listed.Topics.Count == 0 && d is not null && d.Partitions[0].Replicas.Order().SequenceEqual(target.Order())
                   && d.Partitions[0].InSyncReplicas.Count == 3;
        }, TimeSpan.FromSeconds(60));
        var after = (await cluster.DescribeAsync("move"))!.Partitions[0];
        Assert.Equal(4, after.Leader); // the leaving leader handed over to the first new replica
        await producer.WaitForAcksAsync(300, TimeSpan.FromSeconds(30));
        await producer.StopAsync();
        Assert.Empty(producer.Failed);

        // The reader saw every record, in order, without a gap, across the move.
        var acked = producer.Acked.Select(a => a.Value).ToHashSet();
        await cluster.WaitForAsync("the reader to catch up", () => Task.FromResult(acked.IsSubsetOf(read)));
        await stopReading.CancelAsync();
        await reader;
        var log = await LogVerifier.ReadAllAsync(cluster.Bootstrap, "move");
        LogVerifier.AssertAcknowledgedRecordsSurvive(log, producer.Acked);
        Assert.Equal(log[0].Values.ToList(), read.ToList());

        // The broker that left deleted its copy.
        await cluster.WaitForAsync("the old replica removed", () =>
            Task.FromResult(!Directory.Exists(Path.Combine(cluster.Brokers[leaving].DataDir, "move-0"))));
        Assert.True(Directory.Exists(Path.Combine(cluster.Brokers[4].DataDir, "move-0")));
    }

    [Fact]
    public async Task Bad_reassignments_are_refused_with_clear_errors()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("bad", 1, 3);
        var alter = new AlterPartitionReassignmentsRequest();
        alter.Topics.Add(new AlterPartitionReassignmentsRequest.ReassignableTopic
        {
            Name = "bad",
            Partitions =
            [
                new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = [1, 9] },
                new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = [1, 1] },
                new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = [] },
                new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = null },
                new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 7, Replicas = [1] },
            ],
        });
        var response = await RawRequests.SendAsync<AlterPartitionReassignmentsResponse>(cluster.Brokers[1].Port, alter, 0);
        var errors = response.Responses[0].Partitions.Select(p => (ErrorCode)p.ErrorCode).ToList();
        Assert.Equal([ErrorCode.InvalidReplicaAssignment, ErrorCode.InvalidReplicaAssignment, ErrorCode.InvalidReplicaAssignment,
            ErrorCode.NoReassignmentInProgress, ErrorCode.UnknownTopicOrPartition], errors);
        Assert.Contains("[9] are not live", response.Responses[0].Partitions[0].ErrorMessage);
    }

    [Fact]
    public async Task Preferred_leader_election_moves_leadership_back_after_a_restart()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("pref", 1, 3);
        int preferred = (await cluster.DescribeAsync("pref"))!.Partitions[0].Replicas[0];
        cluster.Brokers[preferred].Kill();
        await cluster.WaitForAsync("another leader", async () =>
            (await cluster.DescribeAsync("pref"))?.Partitions[0].Leader is int l && l >= 0 && l != preferred);
        await cluster.Brokers[preferred].StartAsync();
        await cluster.WaitForAsync("the preferred replica back in sync", async () =>
            (await cluster.DescribeAsync("pref"))?.Partitions[0].InSyncReplicas.Contains(preferred) == true);
        Assert.NotEqual(preferred, (await cluster.DescribeAsync("pref"))!.Partitions[0].Leader);

        var elect = new ElectLeadersRequest { ElectionType = 0, TopicPartitions = [new ElectLeadersRequest.TopicPartitionsData { Topic = "pref", Partitions = [0] }] };
        var response = await RawRequests.SendAsync<ElectLeadersResponse>(cluster.Brokers.Keys.First(k => k != preferred) is var k ? cluster.Brokers[k].Port : 0, elect, 2);
        Assert.Equal((short)ErrorCode.None, response.ReplicaElectionResults[0].PartitionResult[0].ErrorCode);
        await cluster.WaitForAsync("the preferred replica leading", async () =>
            (await cluster.DescribeAsync("pref"))?.Partitions[0].Leader == preferred);
        var again = await RawRequests.SendAsync<ElectLeadersResponse>(cluster.Brokers[preferred].Port, elect, 2);
        Assert.Equal((short)ErrorCode.ElectionNotNeeded, again.ReplicaElectionResults[0].PartitionResult[0].ErrorCode);
    }

    [Fact]
    public async Task Auto_leader_rebalance_gives_leadership_back_to_the_preferred_replica()
    {
        await using var cluster = await TestCluster.StartAsync(3, new()
        {
            ["auto.leader.rebalance.enable"] = "true", ["leader.imbalance.check.interval.seconds"] = "1",
        });
        await cluster.CreateTopicAsync("auto", 1, 3);
        int preferred = (await cluster.DescribeAsync("auto"))!.Partitions[0].Replicas[0];
        cluster.Brokers[preferred].Kill();
        await cluster.WaitForAsync("another leader", async () =>
            (await cluster.DescribeAsync("auto"))?.Partitions[0].Leader is int l && l >= 0 && l != preferred);
        await cluster.Brokers[preferred].StartAsync();
        await cluster.WaitForAsync("the preferred replica leading again by itself", async () =>
            (await cluster.DescribeAsync("auto"))?.Partitions[0].Leader == preferred);
    }
}
