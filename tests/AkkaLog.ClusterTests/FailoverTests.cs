using System.Diagnostics;
using AkkaLog.Client.Admin;

namespace AkkaLog.ClusterTests;

/// <summary>
/// kill -9 under acks=all load: a new leader takes over, the victim restarts, truncates if needed,
/// catches up and rejoins the ISR, and every acknowledged record is still there at its offset.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> MinIsr2 = new() { ["min.insync.replicas"] = "2" };

    [Fact]
    public async Task Killing_the_leader_loses_no_acknowledged_record()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("failover", 3, 3, MinIsr2);
        // Our client with idempotence and five requests in flight: retries across the failover must
        // neither store a record twice nor reorder a partition.
        await RunAsync(cluster, "failover", async d => d.Partitions[0].Leader, idempotent: true);
    }

    [Fact]
    public async Task Killing_the_controller_loses_no_acknowledged_record()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("ctl", 3, 3, MinIsr2);
        await RunAsync(cluster, "ctl", async _ =>
        {
            await using var admin = cluster.Admin();
            return (await admin.DescribeClusterAsync()).ControllerId;
        }, expectNewController: true);
    }

    private async Task RunAsync(TestCluster cluster, string topic, Func<TopicDescription, Task<int>> pickVictim, bool expectNewController = false,
        bool idempotent = false)
    {
        var before = (await cluster.DescribeAsync(topic))!;
        int victim = await pickVictim(before);
        var led = before.Partitions.Where(p => p.Leader == victim).Select(p => p.Partition).ToList();
        Assert.NotEmpty(led); // round-robin placement: every broker leads one of the three partitions
        output.WriteLine($"victim: broker {victim}, leader of partitions [{string.Join(',', led)}]");

        await using var producer = new ContinuousProducer(cluster.Bootstrap, topic, idempotent
            ? new() { ["enable.idempotence"] = "true", ["max.in.flight.requests.per.connection"] = "5" }
            : null);
        await producer.WaitForAcksAsync(300, TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        cluster.Brokers[victim].Kill();
        int ackedAtKill = producer.Acked.Count(a => led.Contains(a.Partition));
        // A new leader for the victim's partitions, and acks=all writes flowing to them again.
        await cluster.WaitForAsync("new leaders elected", async () =>
        {
            var d = await cluster.DescribeAsync(topic);
            return d is not null && led.All(p => d.Partitions[p].Leader is >= 0 && d.Partitions[p].Leader != victim);
        });
        await cluster.WaitForAsync("acknowledged writes on the victim's partitions", () =>
            Task.FromResult(producer.Acked.Count(a => led.Contains(a.Partition)) > ackedAtKill + 50), TimeSpan.FromSeconds(30));
        output.WriteLine($"writes acknowledged again {clock.ElapsedMilliseconds} ms after kill -9");

        if (expectNewController)
        {
            await cluster.WaitForAsync("a new controller", async () =>
            {
                await using var admin = cluster.Admin();
                int controller = (await admin.DescribeClusterAsync()).ControllerId;
                return controller >= 0 && controller != victim;
            });
        }

        // The victim comes back: it truncates against the new leaders, catches up and rejoins every ISR.
        await cluster.Brokers[victim].StartAsync();
        await producer.WaitForAcksAsync(300, TimeSpan.FromSeconds(30));
        await cluster.WaitForAsync("the restarted broker back in every ISR", async () =>
        {
            var d = await cluster.DescribeAsync(topic);
            return d is not null && d.Partitions.All(p => p.InSyncReplicas.Contains(victim) && p.Leader >= 0);
        }, TimeSpan.FromSeconds(60));
        await producer.StopAsync();

        Assert.Empty(producer.Failed);
        var log = await LogVerifier.ReadAllAsync(cluster.Bootstrap, topic);
        LogVerifier.AssertAcknowledgedRecordsSurvive(log, producer.Acked, allowRetryDuplicates: !idempotent);
        output.WriteLine($"{producer.Acked.Count} acknowledged records all read back; {log.Sum(p => p.Value.Count)} stored");

        // The restarted broker really holds everything: with the other two gone it leads every
        // partition (it is in each ISR) and serves the same records.
        foreach (var other in cluster.Brokers.Keys.Where(id => id != victim).ToList()) cluster.Brokers[other].Kill();
        await cluster.WaitForAsync("the restarted broker leading alone", async () =>
        {
            var d = await DescribeOnAsync(cluster, victim, topic);
            return d is not null && d.Partitions.All(p => p.Leader == victim);
        });
        var alone = await LogVerifier.ReadAllAsync(cluster.Brokers[victim].Bootstrap, topic);
        LogVerifier.AssertAcknowledgedRecordsSurvive(alone, producer.Acked);
        Assert.Equal(log.Sum(p => p.Value.Count), alone.Sum(p => p.Value.Count));

        // One of three replicas left and min.insync.replicas = 2: acks=all is refused, nothing is written.
        long countBefore = alone[0].Count;
        Assert.Equal(AkkaLog.Protocol.ErrorCode.NotEnoughReplicas,
            await RawRequests.ProduceOneAsync(cluster.Brokers[victim].Port, topic, 0, acks: -1, "refused"));
        Assert.Equal(AkkaLog.Protocol.ErrorCode.None,
            await RawRequests.ProduceOneAsync(cluster.Brokers[victim].Port, topic, 0, acks: 1, "acks-1-allowed"));
        var end = await LogVerifier.ReadAllAsync(cluster.Brokers[victim].Bootstrap, topic);
        Assert.DoesNotContain("refused", end[0].Values);
        Assert.Equal(countBefore + 1, end[0].Count);
    }

    private static async Task<TopicDescription?> DescribeOnAsync(TestCluster cluster, int broker, string topic)
    {
        try
        {
            await using var admin = new AkkaLog.Client.AdminClientBuilder(new Dictionary<string, string>
            {
                ["bootstrap.servers"] = cluster.Brokers[broker].Bootstrap, ["request.timeout.ms"] = "3000",
            }).Build();
            var d = (await admin.DescribeTopicsAsync([topic])).Single();
            return d.Error.IsError ? null : d;
        }
        catch (AkkaLog.Client.KafkaException)
        {
            return null;
        }
    }
}
