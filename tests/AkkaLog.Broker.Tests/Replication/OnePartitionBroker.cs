using AkkaLog.Actors;
using AkkaLog.Actors.Tests;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Partitions;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Broker.Tests.Replication;

/// <summary>
/// Broker 1 in process, hosting topic "t" partition 0 over an embedded metadata store in a temporary
/// log dir, on a manual clock. Tests drive it through <see cref="Replicas"/> and the store; it can be
/// closed and opened again on the same dir (a broker restart).
/// </summary>
internal sealed class OnePartitionBroker(string name) : IAsyncDisposable
{
    public static readonly TopicPartition Tp = new("t", 0);

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), $"akkalog-{name}-" + Guid.NewGuid().ToString("N")[..8]);
    public ManualTimeProvider Time { get; } = new();
    public EmbeddedMetadataStore Store { get; private set; } = null!;
    public ActorSystem Actors { get; private set; } = null!;
    public ReplicaManager Replicas { get; private set; } = null!;
    private bool _open;

    /// <summary>
    /// Starts the store (creating the topic with <paramref name="create"/> unless null, i.e. it exists),
    /// the logs and the replica manager; <paramref name="view"/> may wrap the store the manager sees.
    /// </summary>
    public async Task<Partition> OpenAsync(PartitionState? create, IReadOnlyDictionary<string, string?>? settings = null,
        Func<IMetadataStore, IMetadataStore>? view = null)
    {
        var values = new Dictionary<string, string?> { ["node.id"] = "1", ["log.dirs"] = Dir };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var config = BrokerConfig.From(values);
        Store = new EmbeddedMetadataStore(Dir, "test", nodeId: 1);
        await Store.StartAsync(default);
        await Store.RegisterBrokerAsync(new BrokerNode(1, "127.0.0.1", 9092, null), default);
        if (create is not null)
            Assert.True(await Store.TryCreateTopicAsync(new TopicMetadata("t", Guid.NewGuid(), 1, new Dictionary<string, string>()), [create], default));
        var logs = LogManager.Open([Dir], TopicSettings.Resolve(config, new Dictionary<string, string>()).Log, Time, NullLoggerFactory.Instance);
        Actors = new ActorSystem(NullLoggerFactory.Instance, Time);
        Replicas = new ReplicaManager(config, logs, Actors, view is null ? Store : view(Store), NullLoggerFactory.Instance);
        _open = true;
        await Replicas.ApplyLatestAsync();
        Assert.True(Replicas.TryGetPartition("t", 0, out var partition));
        return partition;
    }

    /// <summary>Stops the replica manager, the actors and the store; the dir stays (for a restart).</summary>
    public async Task CloseAsync()
    {
        if (!_open) return;
        _open = false;
        await Replicas.DisposeAsync();
        await Actors.StopAsync();
        await Store.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        if (Directory.Exists(Dir)) Directory.Delete(Dir, recursive: true);
    }
}
