using System.Collections.Concurrent;
using AkkaLog.Actors;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Metadata;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// The partitions this broker hosts: opens their logs through the <see cref="LogManager"/>, spawns
/// one <see cref="PartitionActor"/> each, runs retention and checkpoints on timers, and stops them
/// in order on shutdown (each actor drains its mailbox, then the logs are flushed and closed).
/// </summary>
public sealed class ReplicaManager : IAsyncDisposable
{
    private readonly ConcurrentDictionary<TopicPartition, Partition> _partitions = new();
    private readonly BrokerConfig _config;
    private readonly LogManager _logs;
    private readonly ActorSystem _actors;
    private readonly ILogger _logger;
    private readonly Timer _retentionTimer;
    private readonly Timer _checkpointTimer;

    /// <summary>Creates the manager; partitions are added with <see cref="EnsurePartitions"/>.</summary>
    public ReplicaManager(BrokerConfig config, LogManager logs, ActorSystem actors, ILogger<ReplicaManager> logger)
    {
        _config = config;
        _logs = logs;
        _actors = actors;
        _logger = logger;
        var retention = TimeSpan.FromMilliseconds(config.RetentionCheckIntervalMs);
        _retentionTimer = new Timer(_ => TellAll(new PartitionMessage.ApplyRetention()), null, retention, retention);
        var checkpoint = TimeSpan.FromMilliseconds(Math.Max(config.CheckpointIntervalMs, 1000));
        _checkpointTimer = new Timer(_ => Checkpoint(), null, checkpoint, checkpoint);
    }

    /// <summary>Every hosted partition.</summary>
    public IEnumerable<Partition> Partitions => _partitions.Values;

    /// <summary>Finds a hosted partition.</summary>
    public bool TryGetPartition(string topic, int partition, out Partition result) =>
        _partitions.TryGetValue(new TopicPartition(topic, partition), out result!);

    /// <summary>Opens (or creates) the log and actor of every partition of <paramref name="topic"/>.</summary>
    public void EnsurePartitions(TopicMetadata topic, TopicSettings settings)
    {
        for (int i = 0; i < topic.PartitionCount; i++)
        {
            var id = new TopicPartition(topic.Name, i);
            if (_partitions.ContainsKey(id)) continue;
            var log = _logs.GetOrCreateLog(id, settings.Log);
            var partition = new Partition(id, topic.Id, log, settings);
            partition.Actor = _actors.Spawn($"partition-{id}", () => new PartitionActor(partition));
            _partitions[id] = partition;
        }
    }

    /// <summary>Applies new settings to every partition of a topic.</summary>
    public void Reconfigure(string topic, TopicSettings settings)
    {
        foreach (var p in _partitions.Values)
            if (p.Id.Topic == topic) p.Actor.Tell(new PartitionMessage.Reconfigure(settings));
    }

    /// <summary>Stops a topic's actors and deletes its logs.</summary>
    public async Task RemoveTopicAsync(string topic)
    {
        foreach (var p in _partitions.Values.Where(p => p.Id.Topic == topic).ToList())
        {
            _partitions.TryRemove(p.Id, out _);
            await p.Actor.StopAsync();
            _logs.DeleteLog(p.Id);
        }
    }

    /// <summary>Writes recovery-point and log-start-offset checkpoints.</summary>
    public void Checkpoint()
    {
        try { _logs.CheckpointAll(); }
        catch (Exception e) { _logger.LogWarning(e, "Writing checkpoints failed"); }
    }

    private void TellAll(PartitionMessage message)
    {
        foreach (var p in _partitions.Values) p.Actor.Tell(message);
    }

    /// <summary>Stops every partition actor (draining queued appends), then closes the logs cleanly.</summary>
    public async ValueTask DisposeAsync()
    {
        await _retentionTimer.DisposeAsync();
        await _checkpointTimer.DisposeAsync();
        await Task.WhenAll(_partitions.Values.Select(p => p.Actor.StopAsync()));
        _logs.Close();
    }
}
