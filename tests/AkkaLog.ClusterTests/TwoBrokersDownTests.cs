using ErrorCode = AkkaLog.Protocol.ErrorCode;

namespace AkkaLog.ClusterTests;

/// <summary>
/// min.insync.replicas 2 with two of three brokers down: acks=all is refused (nothing written), the
/// partition stays with its last in-sync replica, and nothing acknowledged is lost when the
/// others return.
/// </summary>
public sealed class TwoBrokersDownTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Acks_all_is_refused_with_one_replica_left_and_nothing_acknowledged_is_lost()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("two-down", 1, 3, new() { ["min.insync.replicas"] = "2" });
        int leader = (await cluster.DescribeAsync("two-down"))!.Partitions[0].Leader;
        var followers = cluster.Brokers.Keys.Where(k => k != leader).ToList();

        await using var producer = new ContinuousProducer(cluster.Bootstrap, "two-down", new() { ["delivery.timeout.ms"] = "8000", ["request.timeout.ms"] = "3000" });
        await producer.WaitForAcksAsync(300, TimeSpan.FromSeconds(30));
        foreach (int f in followers) cluster.Brokers[f].Kill();
        await cluster.WaitForAsync("the ISR down to the leader", async () =>
            (await cluster.DescribeAsync("two-down"))?.Partitions[0].InSyncReplicas is { Count: 1 } isr && isr[0] == leader);

        // Whatever the producer does now is refused: an acks=all write needs a second in-sync replica.
        int acked = producer.Acked.Count;
        Assert.Equal(ErrorCode.NotEnoughReplicas, await RawRequests.ProduceOneAsync(cluster.Brokers[leader].Port, "two-down", 0, -1, "refused"));
        await Task.Delay(2000);
        Assert.Equal(acked, producer.Acked.Count);
        await producer.StopAsync();
        Assert.NotEmpty(producer.Failed); // delivery timed out on NOT_ENOUGH_REPLICAS
        output.WriteLine($"{producer.Acked.Count} acknowledged, {producer.Failed.Count} refused; first refusal: {producer.Failed.First().Error}");

        // The leader dies too: no in-sync replica is live, so the partition goes offline rather than
        // letting a stale follower lead; it comes back with its last in-sync replica.
        cluster.Brokers[leader].Kill();
        foreach (int f in followers) await cluster.Brokers[f].StartAsync();
        await Task.Delay(3000);
        Assert.True((await cluster.DescribeAsync("two-down"))?.Partitions[0].Leader is null or -1, "a replica outside the ISR was elected");
        await cluster.Brokers[leader].StartAsync();
        await cluster.WaitForAsync("the last in-sync replica leading and the others back in sync", async () =>
            (await cluster.DescribeAsync("two-down"))?.Partitions[0] is { } p && p.Leader == leader && p.InSyncReplicas.Count == 3);

        var log = await LogVerifier.ReadAllAsync(cluster.Bootstrap, "two-down");
        LogVerifier.AssertAcknowledgedRecordsSurvive(log, producer.Acked);
        Assert.DoesNotContain("refused", log[0].Values);
    }
}
