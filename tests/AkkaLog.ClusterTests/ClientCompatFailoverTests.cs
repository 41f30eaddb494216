using AkkaLog.TestSupport;

namespace AkkaLog.ClusterTests;

/// <summary>kcat (librdkafka) and kafkajs keep producing and consuming while a broker is killed and restarted.</summary>
public sealed class ClientCompatFailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Kafkajs_producer_and_consumer_group_survive_the_coordinator_dying()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("kjs", 3, 3, new() { ["min.insync.replicas"] = "2" });
        const string group = "kjs-failover-group";
        int victim = -1;
        await cluster.WaitForAsync("a coordinator for the group", async () =>
            (victim = await RawRequests.FindCoordinatorAsync(cluster.Brokers[1].Port, group)) > 0);
        output.WriteLine($"victim: broker {victim} (coordinator of {group})");

        var script = Kafkajs.RunScriptAsync("cluster-failover.js", cluster.Bootstrap, new Dictionary<string, string>
        {
            ["BROKERS"] = cluster.Bootstrap, ["TOPIC"] = "kjs", ["GROUP"] = group, ["RUN_MS"] = "18000",
        }, TimeSpan.FromMinutes(3));
        await Task.Delay(6000);
        cluster.Brokers[victim].Kill();
        await cluster.WaitForAsync("the coordinator moved", async () =>
        {
            int now = await RawRequests.FindCoordinatorAsync(cluster.Brokers.First(b => b.Key != victim).Value.Port, group);
            return now > 0 && now != victim;
        });
        await Task.Delay(3000);
        await cluster.Brokers[victim].StartAsync();

        var result = await script;
        output.WriteLine(result.Stdout);
        if (result.ExitCode != 0)
        {
            var log = await LogVerifier.ReadAllAsync(cluster.Bootstrap, "kjs");
            foreach (var (p, records) in log)
                output.WriteLine($"partition {p}: {records.Count} records, offsets {records.Keys.First()}..{records.Keys.Last()}");
            foreach (var missing in System.Text.RegularExpressions.Regex.Matches(result.Stderr, @"kjs-\d+").Select(m => m.Value))
                output.WriteLine($"{missing}: " + string.Join(", ", log.SelectMany(p => p.Value.Where(r => r.Value == missing).Select(r => $"p{p.Key}@{r.Key}"))));
        }
        Assert.True(result.ExitCode == 0, result.Describe("node cluster-failover.js") + "\n" + cluster.Logs(20));
        Assert.Contains("OK ready", result.Stdout);
        Assert.Contains("OK consumed all", result.Stdout);
        Assert.Contains("OK offsets committed up to the high watermarks", result.Stdout);
    }

    [Fact]
    public async Task Kcat_idempotent_producer_writes_each_record_once_across_a_leader_failover()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.CreateTopicAsync("kcat", 1, 3, new() { ["min.insync.replicas"] = "2" });
        int victim = (await cluster.DescribeAsync("kcat"))!.Partitions[0].Leader;
        string[] settings = ["-X", "acks=all", "-X", "enable.idempotence=true", "-X", "message.timeout.ms=60000",
            "-X", "retry.backoff.ms=200", "-X", "topic.metadata.refresh.interval.ms=1000"];

        var expected = new List<string>();
        using var stop = new CancellationTokenSource();
        var producing = Task.Run(async () =>
        {
            for (int round = 0; !stop.IsCancellationRequested || round < 3; round++)
            {
                var lines = Enumerable.Range(0, 200).Select(i => $"r{round:D3}-{i:D3}").ToList();
                var run = await Kcat.RunAsync(cluster.Bootstrap, ["-P", "-t", "kcat", "-p", "0", .. settings],
                    string.Join('\n', lines) + "\n", TimeSpan.FromSeconds(90));
                Assert.True(run.ExitCode == 0, run.Describe("kcat -P"));
                lock (expected) expected.AddRange(lines);
                if (stop.IsCancellationRequested) break;
            }
        });
        await Task.Delay(3000);
        cluster.Brokers[victim].Kill();
        await cluster.WaitForAsync("a new leader", async () =>
            (await cluster.DescribeAsync("kcat"))?.Partitions[0].Leader is int l && l >= 0 && l != victim);
        await Task.Delay(3000);
        await cluster.Brokers[victim].StartAsync();
        await Task.Delay(2000);
        await stop.CancelAsync();
        await producing;

        var log = await LogVerifier.ReadAllAsync(cluster.Bootstrap, "kcat");
        var stored = log[0].Values.ToList();
        output.WriteLine($"{expected.Count} lines produced by kcat, {stored.Count} stored");
        Assert.Equal(stored.Count, stored.Distinct().Count()); // idempotence: no retry stored twice
        Assert.Equal(expected.Order(), stored.Order());
        Assert.Equal(stored.Order(), stored); // in order
    }
}
