using AkkaLog.Protocol.Messages;
using ErrorCode = AkkaLog.Protocol.ErrorCode;

namespace AkkaLog.ClusterTests;

/// <summary>
/// A topic deleted and recreated under the same name while a broker was down: when that broker becomes
/// a replica of the new topic, its old directory (another topic id in partition.metadata) must not be
/// taken for the new topic's log; it is replaced and filled from the leader.
/// </summary>
public sealed class RecreatedTopicTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_broker_that_was_down_replicates_the_new_topic_instead_of_keeping_the_old_data()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("again", 1, 3);
        for (int i = 0; i < 5; i++)
            Assert.Equal(ErrorCode.None, await ProduceAsync(cluster, $"old-{i}"));

        // Broker 3 goes down; once the cluster counts it out, the topic is deleted and created again on brokers 1 and 2.
        cluster.Brokers[3].Kill();
        await cluster.WaitForAsync("broker 3 out of the ISR", async () =>
            (await cluster.DescribeAsync("again"))?.Partitions[0].InSyncReplicas is { } isr && !isr.Contains(3));
        await using (var admin = cluster.Admin()) await admin.DeleteTopicsAsync(["again"]);
        await cluster.WaitForAsync("the topic gone", async () => await cluster.DescribeAsync("again") is null);
        await cluster.CreateTopicAsync("again", 1, 2);
        for (int i = 0; i < 3; i++)
            Assert.Equal(ErrorCode.None, await ProduceAsync(cluster, $"new-{i}"));

        // Broker 3 returns and is made a replica of the new topic.
        await cluster.Brokers[3].StartAsync();
        var replicas = (await cluster.DescribeAsync("again"))!.Partitions[0].Replicas.Append(3).ToList();
        var alter = new AlterPartitionReassignmentsRequest();
        alter.Topics.Add(new AlterPartitionReassignmentsRequest.ReassignableTopic
        {
            Name = "again", Partitions = [new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = 0, Replicas = replicas }],
        });
        var altered = await RawRequests.SendAsync<AlterPartitionReassignmentsResponse>(cluster.Brokers[1].Port, alter, 0);
        Assert.Equal((short)ErrorCode.None, altered.Responses[0].Partitions[0].ErrorCode);
        await cluster.WaitForAsync("broker 3 in sync", async () =>
            (await cluster.DescribeAsync("again"))?.Partitions[0].InSyncReplicas.Contains(3) == true, TimeSpan.FromSeconds(60));

        // Its copy is the new topic's, record for record: nothing of the old topic survived there.
        string dir = Path.Combine(cluster.Brokers[3].DataDir, "again-0");
        string stored = string.Concat(Directory.GetFiles(dir, "*.log").Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        output.WriteLine($"broker 3 holds {stored.Length} log bytes in {dir}");
        Assert.DoesNotContain("old-", stored);
        for (int i = 0; i < 3; i++) Assert.Contains($"new-{i}", stored);
        Assert.True(File.Exists(Path.Combine(dir, "partition.metadata")));
    }

    private static async Task<ErrorCode> ProduceAsync(TestCluster cluster, string value)
    {
        // To the leader, with acks=all, retrying while leadership settles.
        for (int attempt = 0; ; attempt++)
        {
            int leader = (await cluster.DescribeAsync("again"))?.Partitions[0].Leader ?? -1;
            var error = leader > 0 ? await RawRequests.ProduceOneAsync(cluster.Brokers[leader].Port, "again", 0, acks: -1, value) : ErrorCode.LeaderNotAvailable;
            if (error == ErrorCode.None || attempt >= 50) return error;
            await Task.Delay(200);
        }
    }
}
