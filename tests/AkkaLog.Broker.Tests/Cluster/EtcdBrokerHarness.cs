using AkkaLog.Actors;
using AkkaLog.Broker.Cluster;
using AkkaLog.Broker.Cluster.Etcd;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Broker.Tests.Cluster;

/// <summary>
/// One broker's metadata side against a real etcd, in process: an <see cref="EtcdMetadataStore"/>
/// under a cluster id of its own, registered as broker 1, and a <see cref="ReplicaManager"/> over a
/// temporary log dir that the test drives by calling <see cref="ReplicaManager.ApplyLatestAsync"/>.
/// </summary>
internal sealed class EtcdBrokerHarness : IAsyncDisposable
{
    private EtcdBrokerHarness(EtcdFixture fixture, string clusterId, string dir)
    {
        Fixture = fixture;
        ClusterId = clusterId;
        Dir = dir;
    }

    public EtcdFixture Fixture { get; }
    public string ClusterId { get; }
    public string Dir { get; }
    public EtcdMetadataStore Store { get; private set; } = null!;
    public ReplicaManager Replicas { get; private set; } = null!;
    private ActorSystem _actors = null!;

    public string Prefix => $"/akkalog/{ClusterId}/";

    public static async Task<EtcdBrokerHarness> StartAsync(EtcdFixture fixture, string? clusterId = null, string? dir = null)
    {
        var harness = new EtcdBrokerHarness(fixture, clusterId ?? "c" + Guid.NewGuid().ToString("N")[..12],
            dir ?? Path.Combine(Path.GetTempPath(), "akkalog-etcdh-" + Guid.NewGuid().ToString("N")[..8]));
        await harness.OpenAsync();
        return harness;
    }

    private async Task OpenAsync()
    {
        var config = BrokerConfig.From(new Dictionary<string, string?> { ["node.id"] = "1", ["log.dirs"] = Dir });
        Store = new EtcdMetadataStore(new EtcdClient([Fixture.Etcd.Endpoint]), ClusterId, 1, TimeSpan.FromSeconds(2),
            TimeSpan.FromMilliseconds(500), NullLogger.Instance);
        await Store.StartAsync(default);
        await Store.RegisterBrokerAsync(new BrokerNode(1, "127.0.0.1", 9092, null), default);
        var logs = LogManager.Open([Dir], TopicSettings.Resolve(config, new Dictionary<string, string>()).Log, TimeProvider.System,
            NullLoggerFactory.Instance);
        _actors = new ActorSystem(NullLoggerFactory.Instance);
        Replicas = new ReplicaManager(config, logs, _actors, Store, NullLoggerFactory.Instance);
    }

    /// <summary>Stops the broker (logs closed cleanly, registration revoked) and starts it again on the same dir.</summary>
    public async Task RestartAsync(Action? whileStopped = null)
    {
        await CloseAsync();
        whileStopped?.Invoke();
        await OpenAsync();
    }

    /// <summary>This broker's current registration.</summary>
    public long Incarnation => Store.Current.Brokers[1].Incarnation;

    /// <summary>Creates a single-replica topic led by this broker; returns its id.</summary>
    public async Task<Guid> CreateTopicAsync(string name, int partitions = 1, Guid? id = null)
    {
        var topic = new TopicMetadata(name, id ?? Guid.NewGuid(), partitions, new Dictionary<string, string>());
        var states = Enumerable.Range(0, partitions)
            .Select(_ => PartitionState.SingleReplica(1) with { LeaderIncarnation = Incarnation }).ToList();
        Assert.True(await Store.TryCreateTopicAsync(topic, states, default));
        return topic.Id;
    }

    /// <summary>Appends one record with acks=1 and returns its offset.</summary>
    public static async Task<long> AppendAsync(Partition p, string value)
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(1_700_000_000_000, "k"u8, System.Text.Encoding.UTF8.GetBytes(value));
        var reply = new TaskCompletionSource<AppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(p.Actor.Tell(new PartitionMessage.Append(builder.ToArray(), reply)));
        var outcome = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(ErrorCode.None, outcome.Error);
        return outcome.Info!.Value.FirstOffset;
    }

    /// <summary>Polls (generous deadline, no fixed sleeps) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    private async Task CloseAsync()
    {
        if (Replicas is not null) await Replicas.DisposeAsync();
        if (_actors is not null) await _actors.StopAsync();
        if (Store is not null) await Store.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        try { await Fixture.Client.DeleteAsync(Prefix, prefix: true); }
        catch (EtcdException) { }
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}
