using System.Collections.Concurrent;
using AkkaLog.Actors;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Groups;

/// <summary>
/// Routes group requests to one <see cref="GroupActor"/> per group. A group lives in partition
/// <c>abs(hash(groupId)) % offsets.topic.num.partitions</c> of <c>__consumer_offsets</c> (Java's
/// String hash, so a group maps where Kafka would put it), and its coordinator is that partition's
/// leader: when this broker becomes leader of an offsets partition it replays the partition in the
/// background (its groups answer COORDINATOR_LOAD_IN_PROGRESS meanwhile, which clients retry); when
/// it stops leading one, that partition's groups are stopped here and requests for them get
/// NOT_COORDINATOR, so clients look the coordinator up again. The topic is created at start-up when
/// enough brokers are live for its replication factor, else on the first FindCoordinator that can.
/// </summary>
public sealed class GroupCoordinator
{
    /// <summary>The internal topic holding committed offsets and group metadata.</summary>
    public const string OffsetsTopic = "__consumer_offsets";

    private const int NotLeader = 0, Loading = 1, Ready = 2;

    private readonly BrokerConfig _brokerConfig;
    private readonly ActorSystem _actors;
    private readonly ReplicaManager _replicas;
    private readonly TopicManager _topics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ActorRef<GroupMessage>> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GroupSummary> _summaries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<int, Task> _loads = new();
    private readonly object _statusLock = new();
    private int[] _status = [];
    private int[] _generation = [];
    private volatile bool _stopped;

    /// <summary>Creates the coordinator; call <see cref="StartAsync"/> before serving.</summary>
    public GroupCoordinator(BrokerConfig config, ActorSystem actors, ReplicaManager replicas, TopicManager topics, TimeProvider time, ILogger<GroupCoordinator> logger)
    {
        _brokerConfig = config;
        Config = GroupConfig.From(config);
        _actors = actors;
        _replicas = replicas;
        _topics = topics;
        _time = time;
        _logger = logger;
        replicas.LeadershipChanged += OnLeadershipChanged;
    }

    /// <summary>The coordinator's settings.</summary>
    public GroupConfig Config { get; }

    /// <summary>Completes when every offsets partition this broker leads (as of now) has been loaded.</summary>
    public Task Loaded => Task.WhenAll(_loads.Values);

    /// <summary>Partitions of the offsets topic, or 0 while it does not exist.</summary>
    public int PartitionCount => _topics.TryGetTopic(OffsetsTopic, out var topic) ? topic.PartitionCount : 0;

    /// <summary>Creates <c>__consumer_offsets</c> if it is missing and enough brokers are live; starts loading what this broker leads.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var error = await EnsureOffsetsTopicAsync(cancellationToken);
        if (error != ErrorCode.None && error != ErrorCode.InvalidReplicationFactor)
            throw new InvalidOperationException($"cannot create {OffsetsTopic}: {error}");
        // Leadership may have been applied before this coordinator knew the topic: start loads now too.
        foreach (var p in _replicas.Partitions.Where(p => p.Id.Topic == OffsetsTopic && p.IsLeader)) BeginLoad(p.Id.Partition);
    }

    /// <summary>None once <c>__consumer_offsets</c> exists; else why it cannot be created yet.</summary>
    public async Task<ErrorCode> EnsureOffsetsTopicAsync(CancellationToken cancellationToken = default)
    {
        if (_topics.TryGetTopic(OffsetsTopic, out _)) return ErrorCode.None;
        var configs = new Dictionary<string, string?>
        {
            ["cleanup.policy"] = "compact",
            ["segment.bytes"] = _brokerConfig.Get("offsets.topic.segment.bytes"),
            ["compression.type"] = "producer",
        };
        var (result, _) = await _topics.CreateTopicAsync(OffsetsTopic, Config.OffsetsTopicPartitions,
            short.Parse(_brokerConfig.Get("offsets.topic.replication.factor")!, System.Globalization.CultureInfo.InvariantCulture),
            configs, validateOnly: false, cancellationToken);
        if (result.Error == ErrorCode.InvalidReplicationFactor)
            _logger.LogInformation("Not creating {Topic} yet: {Reason}", OffsetsTopic, result.Message);
        return result.Error is ErrorCode.None or ErrorCode.TopicAlreadyExists ? ErrorCode.None : result.Error;
    }

    private void OnLeadershipChanged(Partition partition, bool leader)
    {
        if (partition.Id.Topic != OffsetsTopic || _stopped) return;
        if (leader) BeginLoad(partition.Id.Partition);
        else Unload(partition.Id.Partition);
    }

    private bool EnsureStatusArrays(int partition)
    {
        if (partition < _status.Length) return true;
        int count = PartitionCount;
        if (partition >= count) return false;
        Array.Resize(ref _status, count);
        Array.Resize(ref _generation, count);
        return true;
    }

    private void BeginLoad(int p)
    {
        int generation;
        lock (_statusLock)
        {
            if (!EnsureStatusArrays(p) || _status[p] != NotLeader) return;
            _status[p] = Loading;
            generation = ++_generation[p];
        }
        _loads[p] = Task.Run(() => Load(p, generation), CancellationToken.None);
    }

    private void Load(int p, int generation)
    {
        var started = _time.GetTimestamp();
        int groups = 0;
        try
        {
            if (_replicas.TryGetPartition(OffsetsTopic, p, out var partition))
            {
                foreach (var (groupId, snapshot) in OffsetsLoader.Load(partition))
                {
                    lock (_statusLock)
                    {
                        if (_generation[p] != generation) return; // leadership moved away meanwhile
                        Spawn(groupId, snapshot);
                    }
                    groups++;
                }
            }
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Loading {Topic}-{Partition} failed; its groups start empty", OffsetsTopic, p);
        }
        lock (_statusLock)
        {
            if (_generation[p] != generation) return;
            _status[p] = Ready;
        }
        if (groups > 0)
            _logger.LogInformation("Loaded {Count} groups from {Topic}-{Partition} in {Elapsed} ms", groups, OffsetsTopic, p,
                (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>This broker no longer leads partition <paramref name="p"/>: its groups stop here.</summary>
    private void Unload(int p)
    {
        lock (_statusLock)
        {
            if (p >= _status.Length || _status[p] == NotLeader) return;
            _status[p] = NotLeader;
            _generation[p]++;
        }
        _loads.TryRemove(p, out _);
        int count = PartitionCount;
        var moved = _groups.Where(g => PartitionFor(g.Key, count) == p).ToList();
        foreach (var (groupId, actor) in moved)
        {
            _groups.TryRemove(KeyValuePair.Create(groupId, actor));
            _summaries.TryRemove(groupId, out _);
            _ = actor.StopAsync();
        }
        _logger.LogInformation("No longer coordinating {Topic}-{Partition} ({Count} groups moved)", OffsetsTopic, p, moved.Count);
    }

    /// <summary>Stops every group actor (each answers its parked requests), before the partitions stop.</summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await Loaded.ConfigureAwait(false);
        await Task.WhenAll(_groups.Values.Select(a => a.StopAsync())).ConfigureAwait(false);
    }

    /// <summary>The <c>__consumer_offsets</c> partition a group's state lives in (Kafka's mapping).</summary>
    public int PartitionFor(string groupId) => PartitionFor(groupId, PartitionCount);

    /// <summary>Kafka's mapping: Java's String.hashCode, made non-negative, modulo the partition count.</summary>
    public static int PartitionFor(string groupId, int partitions)
    {
        int hash = 0;
        foreach (char c in groupId) hash = unchecked(31 * hash + c);
        int abs = hash == int.MinValue ? 0 : Math.Abs(hash);
        return abs % partitions;
    }

    /// <summary>
    /// None when this broker coordinates the group and has loaded it; COORDINATOR_LOAD_IN_PROGRESS while
    /// loading; NOT_COORDINATOR when another broker leads its partition; NOT_AVAILABLE before the topic exists.
    /// </summary>
    public ErrorCode Availability(string groupId)
    {
        int count = PartitionCount;
        if (count == 0) return ErrorCode.CoordinatorNotAvailable;
        int p = PartitionFor(groupId, count);
        lock (_statusLock)
        {
            if (p >= _status.Length) return ErrorCode.NotCoordinator;
            return _status[p] switch
            {
                Ready => ErrorCode.None,
                Loading => ErrorCode.CoordinatorLoadInProgress,
                _ => ErrorCode.NotCoordinator,
            };
        }
    }

    /// <summary>Every live group's state and protocol type.</summary>
    public IReadOnlyCollection<GroupSummary> ListGroups() => _summaries.Values.Where(s => s.State != GroupState.Dead).ToList();

    /// <summary>True if the group exists (has members, a generation or offsets).</summary>
    public bool Exists(string groupId) => _groups.TryGetValue(groupId, out var actor) && !actor.IsStopped;

    /// <summary>
    /// Sends a request to the group's actor and awaits its reply. With <paramref name="create"/>
    /// the group is created if missing; otherwise <paramref name="missing"/> is the answer.
    /// </summary>
    internal async Task<T> AskAsync<T>(string groupId, bool create, Func<TaskCompletionSource<T>, GroupMessage> build, T missing)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var actor = create ? GetOrSpawn(groupId) : _groups.GetValueOrDefault(groupId);
            if (actor is null) return missing;
            var reply = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (actor.Tell(build(reply))) return await reply.Task;
            _groups.TryRemove(KeyValuePair.Create(groupId, actor)); // stopped (deleted group): retry with a fresh one
        }
        return missing;
    }

    private ActorRef<GroupMessage>? GetOrSpawn(string groupId)
    {
        if (_groups.TryGetValue(groupId, out var actor) && !actor.IsStopped) return actor;
        lock (_statusLock)
        {
            if (_groups.TryGetValue(groupId, out actor) && !actor.IsStopped) return actor;
            // Only the partition's current leader may create groups of it (leadership may just have moved).
            int p = PartitionFor(groupId);
            if (p >= _status.Length || _status[p] != Ready) return null;
            return Spawn(groupId, null);
        }
    }

    private ActorRef<GroupMessage> Spawn(string groupId, GroupSnapshot? snapshot)
    {
        if (!_replicas.TryGetPartition(OffsetsTopic, PartitionFor(groupId), out var partition))
            throw new InvalidOperationException($"{OffsetsTopic} partition {PartitionFor(groupId)} is not hosted here");
        var context = new GroupContext(
            new OffsetsPartitionWriter(partition, _time, _brokerConfig.OffsetsCommitTimeoutMs),
            (topic, p) => _topics.PartitionExists(topic, p),
            summary => _summaries[summary.GroupId] = summary,
            id => _summaries.TryRemove(id, out _));
        bool first = true;
        // A restart after a failure reloads the group from its partition: its durable state.
        var actor = _actors.Spawn($"group-{groupId}-{Guid.NewGuid():N}", () =>
        {
            var state = first ? snapshot : OffsetsLoader.Load(partition, groupId).GetValueOrDefault(groupId);
            first = false;
            return new GroupActor(groupId, Config, context, state);
        });
        _groups[groupId] = actor;
        return actor;
    }
}
