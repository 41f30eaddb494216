using AkkaLog.Client;
using AkkaLog.Client.Admin;
using AkkaLog.TestSupport;

namespace AkkaLog.ClusterTests;

/// <summary>
/// etcd plus N akkalog-server processes forming one cluster (metadata.store = etcd), node ids 1..N,
/// with short timeouts so failover is quick. Disposing kills every process it started (by PID) and
/// deletes their data. Failure messages carry the tail of each broker's log.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _extra;

    private TestCluster(EtcdProcess etcd, Dictionary<string, string> extra)
    {
        Etcd = etcd;
        _extra = extra;
        ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
    }

    /// <summary>The etcd holding the cluster's metadata.</summary>
    public EtcdProcess Etcd { get; }
    /// <summary>cluster.id of every broker.</summary>
    public string ClusterId { get; }
    /// <summary>Brokers by node id.</summary>
    public SortedDictionary<int, BrokerProcess> Brokers { get; } = [];

    /// <summary>Every broker's address, for bootstrap.servers.</summary>
    public string Bootstrap => string.Join(',', Brokers.Values.Select(b => b.Bootstrap));

    /// <summary>Starts etcd and <paramref name="brokers"/> brokers.</summary>
    public static async Task<TestCluster> StartAsync(int brokers, Dictionary<string, string>? settings = null)
    {
        var etcd = await EtcdProcess.StartNewAsync();
        var cluster = new TestCluster(etcd, settings ?? []);
        try
        {
            await Task.WhenAll(Enumerable.Range(1, brokers).Select(cluster.AddBrokerAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts one more broker with node id <paramref name="nodeId"/>.</summary>
    public async Task<BrokerProcess> AddBrokerAsync(int nodeId)
    {
        var settings = new Dictionary<string, string>
        {
            ["node.id"] = nodeId.ToString(),
            ["metadata.store"] = "etcd",
            ["etcd.endpoints"] = Etcd.Endpoint,
            ["cluster.id"] = ClusterId,
            ["broker.session.timeout.ms"] = "2000",
            ["broker.heartbeat.interval.ms"] = "400",
            ["default.replication.factor"] = "3",
            ["offsets.topic.replication.factor"] = "3",
            ["offsets.topic.num.partitions"] = "3",
            ["group.initial.rebalance.delay.ms"] = "0",
            ["replica.fetch.backoff.ms"] = "200",
            ["replica.lag.time.max.ms"] = "5000",
            ["auto.leader.rebalance.enable"] = "false",
            ["log.cleaner.enable"] = "false",
        };
        foreach (var (k, v) in _extra) settings[k] = v;
        var broker = new BrokerProcess($"cluster-b{nodeId}", settings);
        lock (Brokers) Brokers[nodeId] = broker;
        await broker.StartAsync();
        return broker;
    }

    /// <summary>An admin client over every broker.</summary>
    public IAdminClient Admin() => new AdminClientBuilder(new Dictionary<string, string>
    {
        ["bootstrap.servers"] = Bootstrap,
        ["request.timeout.ms"] = "5000",
    }).Build();

    /// <summary>Creates a topic and waits until every partition has a leader and a full ISR.</summary>
    public async Task CreateTopicAsync(string topic, int partitions, short replicationFactor, Dictionary<string, string>? configs = null)
    {
        await using var admin = Admin();
        await admin.CreateTopicsAsync([new TopicSpecification
        {
            Name = topic, NumPartitions = partitions, ReplicationFactor = replicationFactor, Configs = configs,
        }]);
        await WaitForAsync($"{topic} fully in sync", async () =>
        {
            var d = await DescribeAsync(topic);
            return d is not null && d.Partitions.Count == partitions
                   && d.Partitions.All(p => p.Leader >= 0 && p.InSyncReplicas.Count == replicationFactor);
        });
    }

    /// <summary>The topic as the cluster describes it now, or null on error.</summary>
    public async Task<TopicDescription?> DescribeAsync(string topic)
    {
        try
        {
            await using var admin = Admin();
            var d = (await admin.DescribeTopicsAsync([topic])).Single();
            return d.Error.IsError ? null : d;
        }
        catch (KafkaException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing with the brokers' logs after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(45));
        while (DateTime.UtcNow < deadline)
        {
            if (await condition()) return;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"timed out waiting for: {what}\n{Logs()}");
    }

    /// <summary>The tails of every broker's log.</summary>
    public string Logs(int lines = 40) => string.Join('\n', Brokers.Values.Select(b => b.LogTail(lines)));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var broker in Brokers.Values) await broker.DisposeAsync();
        await Etcd.DisposeAsync();
    }
}
