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
/// String hash, so a group maps where Kafka would put it). At start-up the coordinator creates the
/// topic if needed and replays each partition in the background; until a partition is loaded its
/// groups answer COORDINATOR_LOAD_IN_PROGRESS, which clients retry.
/// </summary>
public sealed class GroupCoordinator
{
    /// <summary>The internal topic holding committed offsets and group metadata.</summary>
    public const string OffsetsTopic = "__consumer_offsets";

    private readonly BrokerConfig _brokerConfig;
    private readonly ActorSystem _actors;
    private readonly ReplicaManager _replicas;
    private readonly TopicManager _topics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ActorRef<GroupMessage>> _groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, GroupSummary> _summaries = new(StringComparer.Ordinal);
    private readonly object _spawnLock = new();
    private int[] _loaded = [];
    private int _partitionCount;

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
    }

    /// <summary>The coordinator's settings.</summary>
    public GroupConfig Config { get; }

    /// <summary>Completes when every offsets partition has been loaded.</summary>
    public Task Loaded { get; private set; } = Task.CompletedTask;

    /// <summary>Ensures <c>__consumer_offsets</c> exists, then loads its partitions in the background.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (!_topics.TryGetTopic(OffsetsTopic, out var topic))
        {
            var configs = new Dictionary<string, string?>
            {
                ["cleanup.policy"] = "compact",
                ["segment.bytes"] = _brokerConfig.Get("offsets.topic.segment.bytes"),
                ["compression.type"] = "producer",
            };
            var (result, created) = await _topics.CreateTopicAsync(OffsetsTopic, Config.OffsetsTopicPartitions,
                short.Parse(_brokerConfig.Get("offsets.topic.replication.factor")!, System.Globalization.CultureInfo.InvariantCulture),
                configs, validateOnly: false, cancellationToken);
            if (result.Error != ErrorCode.None && result.Error != ErrorCode.TopicAlreadyExists)
                throw new InvalidOperationException($"cannot create {OffsetsTopic}: {result.Error} {result.Message}");
            topic = created ?? (_topics.TryGetTopic(OffsetsTopic, out var existing) ? existing : null)!;
        }
        _partitionCount = topic.PartitionCount; // fixed once the topic exists, whatever the config now says
        _loaded = new int[_partitionCount];
        Loaded = Task.Run(LoadAll, CancellationToken.None);
    }

    private void LoadAll()
    {
        var started = _time.GetTimestamp();
        int groups = 0;
        for (int p = 0; p < _partitionCount; p++)
        {
            try
            {
                if (!_replicas.TryGetPartition(OffsetsTopic, p, out var partition)) continue;
                foreach (var (groupId, snapshot) in OffsetsLoader.Load(partition))
                {
                    Spawn(groupId, snapshot);
                    groups++;
                }
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Loading {Topic}-{Partition} failed; its groups start empty", OffsetsTopic, p);
            }
            finally
            {
                Volatile.Write(ref _loaded[p], 1);
            }
        }
        _logger.LogInformation("Loaded {Count} groups from {Topic} in {Elapsed} ms", groups, OffsetsTopic,
            (long)_time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Stops every group actor (each answers its parked requests), before the partitions stop.</summary>
    public async Task StopAsync()
    {
        await Loaded.ConfigureAwait(false);
        await Task.WhenAll(_groups.Values.Select(a => a.StopAsync())).ConfigureAwait(false);
    }

    /// <summary>The <c>__consumer_offsets</c> partition a group's state lives in (Kafka's mapping).</summary>
    public int PartitionFor(string groupId) => PartitionFor(groupId, _partitionCount);

    /// <summary>Kafka's mapping: Java's String.hashCode, made non-negative, modulo the partition count.</summary>
    public static int PartitionFor(string groupId, int partitions)
    {
        int hash = 0;
        foreach (char c in groupId) hash = unchecked(31 * hash + c);
        int abs = hash == int.MinValue ? 0 : Math.Abs(hash);
        return abs % partitions;
    }

    /// <summary>None when the group's partition is loaded, else COORDINATOR_LOAD_IN_PROGRESS (or NOT_AVAILABLE before start).</summary>
    public ErrorCode Availability(string groupId)
    {
        if (_partitionCount == 0) return ErrorCode.CoordinatorNotAvailable;
        return Volatile.Read(ref _loaded[PartitionFor(groupId)]) == 1 ? ErrorCode.None : ErrorCode.CoordinatorLoadInProgress;
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

    private ActorRef<GroupMessage> GetOrSpawn(string groupId)
    {
        if (_groups.TryGetValue(groupId, out var actor) && !actor.IsStopped) return actor;
        lock (_spawnLock)
        {
            if (_groups.TryGetValue(groupId, out actor) && !actor.IsStopped) return actor;
            return Spawn(groupId, null);
        }
    }

    private ActorRef<GroupMessage> Spawn(string groupId, GroupSnapshot? snapshot)
    {
        if (!_replicas.TryGetPartition(OffsetsTopic, PartitionFor(groupId), out var partition))
            throw new InvalidOperationException($"{OffsetsTopic} partition {PartitionFor(groupId)} is not hosted here");
        var context = new GroupContext(
            new OffsetsPartitionWriter(partition, _time),
            (topic, p) => _replicas.TryGetPartition(topic, p, out _),
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
