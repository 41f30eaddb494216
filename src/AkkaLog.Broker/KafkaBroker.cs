using AkkaLog.Actors;
using AkkaLog.Broker.Cluster;
using AkkaLog.Broker.Cluster.Etcd;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Handlers.Groups;
using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Network;
using AkkaLog.Broker.Partitions;
using AkkaLog.Storage;
using AkkaLog.Storage.Cleaner;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker;

/// <summary>
/// One broker: opens the metadata store (embedded, or etcd for a cluster) and the logs, registers
/// in the cluster, applies the metadata to its replicas (lead or follow each assigned partition),
/// runs the controller election and builds the request dispatcher the network layer serves.
/// Disposing stops it in order: the metadata listener and controller, the groups, then partition
/// actors drain their mailboxes and logs are flushed and closed cleanly (so the next start skips
/// recovery), then the metadata store closes (revoking the broker's lease, so the cluster fails
/// over at once). Listening is the host's job (see AkkaLog.Server).
/// </summary>
public sealed class KafkaBroker : IAsyncDisposable
{
    private readonly ActorSystem _actors;
    private readonly IMetadataStore _metadata;
    private readonly ReplicaManager _replicas;
    private readonly CancellationTokenSource _stopping = new();
    private ActorRef<CleanerTick>? _cleaner;
    private LogCleaner? _logCleaner;

    private MetadataListener? _listener;

    private KafkaBroker(BrokerConfig config, ActorSystem actors, IMetadataStore metadata, ReplicaManager replicas, RequestDispatcher dispatcher, BrokerServices services)
    {
        Config = config;
        _actors = actors;
        _metadata = metadata;
        _replicas = replicas;
        Dispatcher = dispatcher;
        Services = services;
    }

    /// <summary>The configuration the broker runs with.</summary>
    public BrokerConfig Config { get; }
    /// <summary>Decodes and serves requests; the connection handler's entry point.</summary>
    public RequestDispatcher Dispatcher { get; }
    /// <summary>Shared broker services (metadata, partitions, topics).</summary>
    public BrokerServices Services { get; }

    /// <summary>Opens storage and metadata and returns a broker ready to serve.</summary>
    public static async Task<KafkaBroker> StartAsync(BrokerConfig config, ILoggerFactory loggerFactory, TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var dirs = config.LogDirs.Select(Path.GetFullPath).ToList();
        if (dirs.Count == 0) throw new ConfigException("log.dirs", "log.dirs must name at least one directory");
        var node = BrokerNode.FromListener(config.NodeId, config.AdvertisedListeners.FirstOrDefault()
            ?? throw new ConfigException("listeners", "listeners must name at least one address"), config.Rack);

        var metadata = CreateStore(config, dirs[0], loggerFactory);
        await metadata.StartAsync(cancellationToken);
        // Existing logs open with their topic's settings, so recovery and retention use the right limits.
        var logs = LogManager.Open(dirs, TopicSettings.Resolve(config, new Dictionary<string, string>()).Log, time, loggerFactory,
            tp => TopicSettings.Resolve(config, metadata.Current.TryGetTopic(tp.Topic, out var t) ? t.Configs : new Dictionary<string, string>()).Log);
        var actors = new ActorSystem(loggerFactory, time);
        var replicas = new ReplicaManager(config, logs, actors, metadata, loggerFactory);
        var topics = new TopicManager(config, metadata, replicas, loggerFactory.CreateLogger<TopicManager>());
        var groups = new GroupCoordinator(config, actors, replicas, topics, time, loggerFactory.CreateLogger<GroupCoordinator>());
        await metadata.RegisterBrokerAsync(node, cancellationToken);
        await replicas.ApplyLatestAsync();
        var controller = new Controller(config, metadata, time, loggerFactory.CreateLogger<Controller>());
        var listener = new MetadataListener(metadata, replicas, controller, loggerFactory.CreateLogger<MetadataListener>());
        await controller.StartAsync(cancellationToken);
        await groups.StartAsync(cancellationToken);
        var services = new BrokerServices(config, node, metadata, replicas, topics, groups, controller, time);

        RequestDispatcher? dispatcher = null;
        var handlers = new List<IRequestHandler>
        {
            new ApiVersionsHandler(() => dispatcher!.Handlers),
            new MetadataHandler(services),
            new ProduceHandler(services, loggerFactory.CreateLogger<ProduceHandler>()),
            new FetchHandler(services),
            new OffsetForLeaderEpochHandler(services),
            new ListOffsetsHandler(services),
            new CreateTopicsHandler(services),
            new DeleteTopicsHandler(services),
            new CreatePartitionsHandler(services),
            new DescribeConfigsHandler(services),
            new AlterConfigsHandler(services),
            new IncrementalAlterConfigsHandler(services),
            new DeleteRecordsHandler(services),
            new DescribeClusterHandler(services),
            new AlterPartitionReassignmentsHandler(services),
            new ListPartitionReassignmentsHandler(services),
            new ElectLeadersHandler(services),
            new InitProducerIdHandler(services),
            new FindCoordinatorHandler(services),
            new JoinGroupHandler(services),
            new SyncGroupHandler(services),
            new HeartbeatHandler(services),
            new LeaveGroupHandler(services),
            new OffsetCommitHandler(services),
            new OffsetFetchHandler(services),
            new ListGroupsHandler(services),
            new DescribeGroupsHandler(services),
            new DeleteGroupsHandler(services),
            new OffsetDeleteHandler(services),
        };
        dispatcher = new RequestDispatcher(handlers, loggerFactory.CreateLogger<RequestDispatcher>());
        var broker = new KafkaBroker(config, actors, metadata, replicas, dispatcher, services) { _listener = listener };
        if (config.CleanerEnabled) broker.StartCleaner(time, loggerFactory);
        return broker;
    }

    private static IMetadataStore CreateStore(BrokerConfig config, string firstLogDir, ILoggerFactory loggerFactory)
    {
        if (!config.UsesEtcd) return new EmbeddedMetadataStore(firstLogDir, config.ClusterId, config.NodeId);
        if (config.EtcdEndpoints.Count == 0) throw new ConfigException("etcd.endpoints", "metadata.store = etcd needs etcd.endpoints (http://host:port, ...)");
        if (config.ClusterId is not { Length: > 0 } clusterId)
            throw new ConfigException("cluster.id", "metadata.store = etcd needs cluster.id: every broker of the cluster names the same one");
        EtcdClient etcd;
        try { etcd = new EtcdClient(config.EtcdEndpoints); }
        catch (ArgumentException e) { throw new ConfigException("etcd.endpoints", e.Message); }
        return new EtcdMetadataStore(etcd, clusterId, config.NodeId, TimeSpan.FromMilliseconds(config.SessionTimeoutMs),
            TimeSpan.FromMilliseconds(config.HeartbeatIntervalMs), loggerFactory.CreateLogger<EtcdMetadataStore>());
    }

    private void StartCleaner(TimeProvider time, ILoggerFactory loggerFactory)
    {
        var settings = Config.Cleaner;
        _logCleaner = new LogCleaner(settings, time, loggerFactory.CreateLogger<LogCleaner>());
        var cleaner = _logCleaner;
        var token = _stopping.Token;
        _cleaner = _actors.Spawn("log-cleaner",
            () => new LogCleanerActor(cleaner, () => _replicas.Partitions.Select(p => p.Log), TimeSpan.FromMilliseconds(settings.BackoffMs), token),
            SupervisorStrategy.Restart(10, TimeSpan.FromMinutes(1)));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        // The cleaner first (an interrupted pass is redone on the next start), then groups, then partitions.
        await _stopping.CancelAsync();
        if (_listener is not null) await _listener.DisposeAsync();
        await Services.Controller.DisposeAsync();
        if (_cleaner is not null) await _cleaner.StopAsync();
        _logCleaner?.Dispose();
        await Services.Groups.StopAsync();
        await _replicas.DisposeAsync();
        await _actors.StopAsync();
        await _metadata.DisposeAsync();
    }
}
