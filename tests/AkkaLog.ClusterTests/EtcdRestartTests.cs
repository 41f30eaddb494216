namespace AkkaLog.ClusterTests;

/// <summary>etcd restarted (kill -9, same data) under acks=all load: brokers keep serving, reconnect, and lose nothing.</summary>
public sealed class EtcdRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Brokers_ride_out_an_etcd_restart_without_losing_acknowledged_records()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("through-etcd", 3, 3, new() { ["min.insync.replicas"] = "2" });
        await using var producer = new ContinuousProducer(cluster.Bootstrap, "through-etcd");
        await producer.WaitForAcksAsync(300, TimeSpan.FromSeconds(30));

        cluster.Etcd.Kill();
        // The data plane does not need etcd: writes keep being acknowledged while it is down.
        await producer.WaitForAcksAsync(200, TimeSpan.FromSeconds(20));
        await Task.Delay(1500);
        await cluster.Etcd.StartAsync();
        await producer.WaitForAcksAsync(300, TimeSpan.FromSeconds(30));

        // The control plane works again: metadata changes are made and seen by every broker...
        await cluster.CreateTopicAsync("after-etcd", 1, 3);
        // ...and a broker failure is still detected and handled.
        int victim = (await cluster.DescribeAsync("through-etcd"))!.Partitions[0].Leader;
        cluster.Brokers[victim].Kill();
        await cluster.WaitForAsync("a new leader after the etcd restart", async () =>
            (await cluster.DescribeAsync("through-etcd"))?.Partitions[0].Leader is int l && l >= 0 && l != victim);
        await producer.WaitForAcksAsync(200, TimeSpan.FromSeconds(30));
        await producer.StopAsync();

        Assert.Empty(producer.Failed);
        var log = await LogVerifier.ReadAllAsync(cluster.Bootstrap, "through-etcd");
        LogVerifier.AssertAcknowledgedRecordsSurvive(log, producer.Acked);
        output.WriteLine($"{producer.Acked.Count} acknowledged records read back after the etcd restart and a failover");
    }
}
