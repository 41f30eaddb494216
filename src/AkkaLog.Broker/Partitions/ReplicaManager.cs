using System.Collections.Concurrent;
using AkkaLog.Actors;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Replication;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// The partitions this broker hosts, driven by the metadata: <see cref="ApplyLatestAsync"/> compares each
/// image with what is hosted and opens the logs of partitions assigned here (one
/// <see cref="PartitionActor"/> each), tells each actor to lead or follow when its state changes
/// (Kafka's LeaderAndIsr), points the replica fetchers at the leaders, and removes replicas that
/// were reassigned away or whose topic was deleted. It runs retention and checkpoints (recovery points,
/// high watermarks: <see cref="HighWatermarkCheckpoint"/>) on timers and
/// stops everything in order on shutdown (fetchers, then actors draining their mailboxes, then the
/// logs are flushed and closed).
/// </summary>
public sealed class ReplicaManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<TopicPartition, Partition> _partitions = new();
    private readonly BrokerConfig _config;
    private readonly IMetadataStore _store;
    private readonly LogManager _logs;
    private readonly ActorSystem _actors;
    private readonly ILogger _logger;
    private readonly Timer _retentionTimer;
    private readonly Timer _checkpointTimer;
    private readonly Timer _highWatermarkTimer;
    private readonly HighWatermarkCheckpoint _highWatermarks;
    private readonly SemaphoreSlim _applyLock = new(1, 1);
    private readonly ReplicaFetcherManager _fetchers;
    private readonly ReplicationContext _replication;
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates the manager; partitions are added by <see cref="ApplyLatestAsync"/>.</summary>
    public ReplicaManager(BrokerConfig config, LogManager logs, ActorSystem actors, IMetadataStore store, ILoggerFactory loggers)
    {
        _config = config;
        _store = store;
        _logs = logs;
        _actors = actors;
        _logger = loggers.CreateLogger<ReplicaManager>();
        NodeId = config.NodeId;
        _replication = new ReplicationContext(NodeId, store, config.ReplicaLagTimeMaxMs, (p, leader) => LeadershipChanged?.Invoke(p, leader),
            OnActorRestarted);
        _fetchers = new ReplicaFetcherManager(config.ReplicaFetcher, loggers);
        var retention = TimeSpan.FromMilliseconds(config.RetentionCheckIntervalMs);
        _retentionTimer = new Timer(_ => TellAll(new PartitionMessage.ApplyRetention()), null, retention, retention);
        var checkpoint = TimeSpan.FromMilliseconds(Math.Max(config.CheckpointIntervalMs, 1000));
        _checkpointTimer = new Timer(_ => Checkpoint(), null, checkpoint, checkpoint);
        _highWatermarks = new HighWatermarkCheckpoint(logs.LogDirs);
        var hwInterval = TimeSpan.FromMilliseconds(config.HighWatermarkCheckpointIntervalMs);
        _highWatermarkTimer = new Timer(_ => CheckpointHighWatermarks(), null, hwInterval, hwInterval);
    }

    /// <summary>This broker's id.</summary>
    public int NodeId { get; }

    /// <summary>
    /// Raised on a partition's actor when this broker becomes (true) or stops being (false) its
    /// leader: the group coordinator follows the leadership of <c>__consumer_offsets</c> partitions.
    /// </summary>
    public event Action<Partition, bool>? LeadershipChanged;

    /// <summary>Every hosted partition.</summary>
    public IEnumerable<Partition> Partitions => _partitions.Values;

    /// <summary>Finds a hosted partition.</summary>
    public bool TryGetPartition(string topic, int partition, out Partition result) =>
        _partitions.TryGetValue(new TopicPartition(topic, partition), out result!);

    /// <summary>
    /// Brings the hosted partitions in line with the store's latest image, read once this caller holds
    /// the lock (so a caller that read an image earlier can never apply it over a newer one); one caller
    /// at a time, and cheap when nothing changed. Leadership counts only if it was granted to this broker's current
    /// registration (<see cref="PartitionState.LeaderIncarnation"/>): after a restart, the old
    /// leadership is left alone until the controller elects again.
    /// </summary>
    public async Task ApplyLatestAsync()
    {
        await _applyLock.WaitAsync();
        try
        {
            var image = _store.Current;
            foreach (var p in _partitions.Values.ToList())
            {
                bool topicGone = !image.TopicsByName.TryGetValue(p.Id.Topic, out var topic) || topic.Id != p.TopicId;
                bool reassignedAway = image.Partitions.TryGetValue(p.Id, out var state) && !state.Replicas.Contains(NodeId);
                if (topicGone || reassignedAway) await RemoveAsync(p, deleteLog: true);
            }
            if (!image.Brokers.TryGetValue(NodeId, out var self))
            {
                // Not registered (yet, or our lease expired while we lived): the cluster counts us dead and
                // may elect others, so lead nothing until we are back and elected again.
                await ResignAllAsync();
                return;
            }
            var applied = new List<Task>();
            foreach (var (tp, state) in image.Partitions)
            {
                if (!state.Replicas.Contains(NodeId) || !image.TopicsByName.TryGetValue(tp.Topic, out var topic)) continue;
                var partition = Ensure(tp, topic);
                if (partition.NeedsReapply)
                {
                    partition.NeedsReapply = false;
                    partition.AppliedState = null; // the instance it was handed to is gone
                }
                if (!ReferenceEquals(partition.AppliedTopic, topic))
                {
                    if (partition.AppliedTopic is { } before && !SameConfigs(before.Configs, topic.Configs))
                        partition.Actor.Tell(new PartitionMessage.Reconfigure(TopicSettings.Resolve(_config, topic.Configs)));
                    partition.AppliedTopic = topic;
                }
                bool leads = state.Leader == NodeId && state.LeaderIncarnation == self.Incarnation;
                if (partition.AppliedState is null || !partition.AppliedState.SameAs(state))
                {
                    partition.AppliedState = state;
                    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    if (partition.Actor.Tell(leads ? new PartitionMessage.BecomeLeader(state, done) : new PartitionMessage.BecomeFollower(state, done)))
                        applied.Add(done.Task);
                }
                if (!leads && state.Leader != NodeId && image.Brokers.TryGetValue(state.Leader, out var leader)
                    && leader.Incarnation == state.LeaderIncarnation)
                    await _fetchers.AddAsync(partition, leader, state.LeaderEpoch);
                else await _fetchers.RemoveAsync(tp);
            }
            // Once this returns every actor acts on the image: a topic created here is led here at once. Bounded, so
            // one actor that cannot answer (stopped after repeated failures) does not stop metadata for every partition.
            try { await Task.WhenAll(applied).WaitAsync(ApplyTimeout); }
            catch (TimeoutException)
            {
                _logger.LogWarning("{Count} partition actors did not take the new metadata within {Timeout}; going on without them",
                    applied.Count(t => !t.IsCompleted), ApplyTimeout);
            }
        }
        finally
        {
            _applyLock.Release();
        }
    }

    /// <summary>
    /// A partition actor was restarted by its supervisor and lost its role: apply the latest image to it again
    /// (off the actor's thread; the apply lock orders it after any pass in progress).
    /// </summary>
    private void OnActorRestarted(Partition p)
    {
        p.NeedsReapply = true;
        _ = Task.Run(async () =>
        {
            try { await ApplyLatestAsync(); }
            catch (ObjectDisposedException) { } // shutting down
            catch (Exception e) { _logger.LogError(e, "{Partition}: applying metadata after an actor restart failed", p.Id); }
        });
    }

    private async Task ResignAllAsync()
    {
        var resigned = new List<Task>();
        foreach (var p in _partitions.Values)
        {
            if (!p.IsLeader || p.AppliedState is not { } state) continue;
            _logger.LogWarning("{Partition}: this broker is not registered in the cluster; giving up leadership", p.Id);
            p.AppliedState = null; // applied again in full once we are registered
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (p.Actor.Tell(new PartitionMessage.BecomeFollower(state, done))) resigned.Add(done.Task);
            await _fetchers.RemoveAsync(p.Id);
        }
        await Task.WhenAll(resigned);
    }

    private Partition Ensure(TopicPartition id, TopicMetadata topic)
    {
        if (_partitions.TryGetValue(id, out var existing)) return existing;
        var settings = TopicSettings.Resolve(_config, topic.Configs);
        // Checks the directory's topic id: a log left by an earlier topic of the same name is not reopened as this one.
        var log = _logs.GetOrCreateLog(id, settings.Log, topic.Id);
        var partition = new Partition(id, topic.Id, log, settings, _highWatermarks.AtStart(id)) { AppliedTopic = topic };
        partition.Actor = _actors.Spawn($"partition-{id}-{Guid.NewGuid():N}", () => new PartitionActor(partition, _replication));
        _partitions[id] = partition;
        return partition;
    }

    private static bool SameConfigs(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private async Task RemoveAsync(Partition p, bool deleteLog)
    {
        _partitions.TryRemove(p.Id, out _);
        await _fetchers.RemoveAsync(p.Id);
        p.Actor.Tell(new PartitionMessage.Resign());
        await p.Actor.StopAsync();
        if (deleteLog) _logs.DeleteLog(p.Id);
        _logger.LogInformation("Removed replica {Partition}", p.Id);
    }

    /// <summary>Applies new settings to every partition of a topic.</summary>
    public void Reconfigure(string topic, TopicSettings settings)
    {
        foreach (var p in _partitions.Values)
            if (p.Id.Topic == topic) p.Actor.Tell(new PartitionMessage.Reconfigure(settings));
    }

    /// <summary>Writes recovery-point and log-start-offset checkpoints.</summary>
    public void Checkpoint()
    {
        try { _logs.CheckpointAll(); }
        catch (Exception e) { _logger.LogWarning(e, "Writing checkpoints failed"); }
    }

    /// <summary>Writes every hosted partition's high watermark (replication-offset-checkpoint).</summary>
    public void CheckpointHighWatermarks()
    {
        try { _highWatermarks.Write(_partitions.Values, _logs); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { _logger.LogWarning(e, "Writing high watermark checkpoints failed"); }
    }

    private void TellAll(PartitionMessage message)
    {
        foreach (var p in _partitions.Values) p.Actor.Tell(message);
    }

    /// <summary>Stops fetchers, then every partition actor (draining queued appends), then closes the logs cleanly.</summary>
    public async ValueTask DisposeAsync()
    {
        await _retentionTimer.DisposeAsync();
        await _checkpointTimer.DisposeAsync();
        await _highWatermarkTimer.DisposeAsync();
        await _applyLock.WaitAsync();
        await _fetchers.DisposeAsync();
        await Task.WhenAll(_partitions.Values.Select(p => p.Actor.StopAsync()));
        CheckpointHighWatermarks(); // the last word: nothing moves them any more
        _logs.Close();
    }
}
