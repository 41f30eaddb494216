using AkkaLog.Broker.Cluster;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker;

/// <summary>Outcome of a topic operation: a Kafka error code and a message for the client.</summary>
/// <param name="Error">NONE on success.</param>
/// <param name="Message">Why it failed, for the response's error message.</param>
public readonly record struct TopicOperationResult(ErrorCode Error, string? Message = null)
{
    /// <summary>Success.</summary>
    public static TopicOperationResult Ok => default;
}

/// <summary>
/// Creates, deletes, grows and reconfigures topics: validates the request, places new partitions'
/// replicas on the live brokers (<see cref="ReplicaPlacement"/>), records the change in the metadata
/// store, then applies the new image to this broker's replicas before answering (other brokers apply
/// it when their watch delivers it). Used by the admin handlers and by Metadata's auto-creation.
/// </summary>
public sealed class TopicManager(BrokerConfig config, IMetadataStore store, ReplicaManager replicas, ILogger<TopicManager> logger)
{
    /// <summary>The broker configuration topics default to.</summary>
    public BrokerConfig BrokerConfig => config;

    /// <summary>Looks a topic up in the current metadata.</summary>
    public bool TryGetTopic(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TopicMetadata? topic) =>
        store.Current.TryGetTopic(name, out topic);

    /// <summary>True when the topic exists and has the partition (wherever its replicas are).</summary>
    public bool PartitionExists(string topic, int partition) =>
        store.Current.TryGetTopic(topic, out var t) && partition >= 0 && partition < t.PartitionCount;

    private static readonly Random s_placementStart = new();

    /// <summary>Initial states of new partitions: replicas placed on live brokers, the first leading, all in sync (all empty).</summary>
    private (IReadOnlyList<PartitionState>? States, TopicOperationResult Error) Place(int count, int replicationFactor, int firstPartition)
    {
        var image = store.Current;
        var brokers = image.Brokers.Values.ToList();
        if (replicationFactor > brokers.Count)
            return (null, new(ErrorCode.InvalidReplicationFactor, $"Replication factor: {replicationFactor} larger than available brokers: {brokers.Count}."));
        int start;
        lock (s_placementStart) start = brokers.Count > 1 ? s_placementStart.Next(brokers.Count) : 0;
        var assignment = ReplicaPlacement.Assign(brokers, count, replicationFactor, start, firstPartition);
        return (assignment.Select(replicasOf => new PartitionState
        {
            Replicas = replicasOf,
            Leader = replicasOf[0],
            LeaderEpoch = 0,
            LeaderIncarnation = image.Brokers[replicasOf[0]].Incarnation,
            Isr = replicasOf,
            IsrIncarnations = replicasOf.ToDictionary(r => r, r => image.Brokers[r].Incarnation),
            PartitionEpoch = 0,
        }).ToList(), TopicOperationResult.Ok);
    }

    /// <summary>Creates a topic; -1 partitions or replication factor mean the broker defaults.</summary>
    public async Task<(TopicOperationResult Result, TopicMetadata? Topic)> CreateTopicAsync(string name, int partitions,
        short replicationFactor, IEnumerable<KeyValuePair<string, string?>> configs, bool validateOnly, CancellationToken cancellationToken)
    {
        if (TopicNames.Validate(name) is { } invalid) return (new(ErrorCode.InvalidTopicException, invalid), null);
        if (store.Current.TopicsByName.ContainsKey(name)) return (new(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists."), null);
        if (partitions == -1) partitions = config.NumPartitions;
        if (partitions <= 0) return (new(ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0."), null);
        int rf = replicationFactor == -1 ? config.DefaultReplicationFactor : replicationFactor;
        if (rf <= 0) return (new(ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0."), null);
        if (TooMany(partitions) is { } tooMany) return (tooMany, null);
        Dictionary<string, string> overrides;
        try { overrides = TopicSettings.Validate(configs); }
        catch (ConfigException e) { return (new(ErrorCode.InvalidConfig, e.Message), null); }
        var (states, placementError) = Place(partitions, rf, 0);
        if (states is null) return (placementError, null);
        var topic = new TopicMetadata(name, Guid.NewGuid(), partitions, overrides);
        if (validateOnly) return (TopicOperationResult.Ok, topic);
        if (!await store.TryCreateTopicAsync(topic, states, cancellationToken))
            return (new(ErrorCode.TopicAlreadyExists, $"Topic '{name}' already exists."), null);
        await replicas.ApplyLatestAsync();
        BrokerLog.TopicCreated(logger, name, partitions);
        return (TopicOperationResult.Ok, topic);
    }

    /// <summary>Deletes a topic and its data.</summary>
    public async Task<TopicOperationResult> DeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        if (!config.DeleteTopicEnable) return new(ErrorCode.TopicDeletionDisabled, "Topic deletion is disabled.");
        if (!await store.TryDeleteTopicAsync(name, cancellationToken))
            return new(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
        await replicas.ApplyLatestAsync();
        BrokerLog.TopicDeleted(logger, name);
        return TopicOperationResult.Ok;
    }

    /// <summary>Raises a topic's partition count.</summary>
    public async Task<TopicOperationResult> CreatePartitionsAsync(string name, int count, bool validateOnly, CancellationToken cancellationToken)
    {
        if (!store.Current.TryGetTopic(name, out var seen))
            return new(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
        if (TooMany(count - seen.PartitionCount) is { } tooMany) return tooMany;
        int rf = store.Current.PartitionStateOf(name, 0)?.Replicas.Length ?? 1;
        TopicOperationResult refused = default;
        // Computed from the record as stored when it is written (again after a lost race), so a concurrent
        // AlterConfigs keeps its configs and this keeps its partitions.
        TopicChange? Grow(TopicMetadata topic)
        {
            if (count <= topic.PartitionCount)
            {
                refused = new(ErrorCode.InvalidPartitions, $"Topic currently has {topic.PartitionCount} partitions, which is higher than or equal to the requested {count}.");
                return null;
            }
            var (states, placementError) = Place(count - topic.PartitionCount, rf, topic.PartitionCount);
            if (states is null)
            {
                refused = placementError;
                return null;
            }
            var added = new Dictionary<int, PartitionState>();
            for (int i = 0; i < states.Count; i++) added[topic.PartitionCount + i] = states[i];
            return new TopicChange(topic with { PartitionCount = count }, added);
        }
        if (validateOnly) return Grow(seen) is null ? refused : TopicOperationResult.Ok;
        var status = await store.UpdateTopicAsync(name, Grow, cancellationToken);
        if (status == TopicUpdateStatus.Updated) await replicas.ApplyLatestAsync();
        return Outcome(name, status, refused);
    }

    private static TopicOperationResult Outcome(string name, TopicUpdateStatus status, TopicOperationResult refused) => status switch
    {
        TopicUpdateStatus.Updated => TopicOperationResult.Ok,
        TopicUpdateStatus.NotFound => new(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist."),
        TopicUpdateStatus.Declined => refused,
        _ => new(ErrorCode.RequestTimedOut,
            $"Topic '{name}' kept being changed concurrently; gave up after {IMetadataStore.MaxTopicUpdateAttempts} attempts. Try again."),
    };

    /// <summary>
    /// Refuses partitions past max.partitions: each one keeps files open and an actor running, so an
    /// absurd count (a typo, or a hostile request) would exhaust file handles or memory.
    /// </summary>
    private TopicOperationResult? TooMany(int added)
    {
        long hosted = store.Current.TopicsByName.Values.Sum(t => (long)t.PartitionCount);
        if (hosted + added <= config.MaxPartitions) return null;
        return new(ErrorCode.InvalidPartitions,
            $"Adding {added} partitions would make {hosted + added} on this broker, more than max.partitions ({config.MaxPartitions}).");
    }

    /// <summary>Replaces a topic's overrides with <paramref name="overrides"/> (AlterConfigs: the whole set).</summary>
    public Task<TopicOperationResult> SetTopicConfigsAsync(string name, IEnumerable<KeyValuePair<string, string?>> overrides,
        bool validateOnly, CancellationToken cancellationToken) =>
        ChangeTopicConfigsAsync(name, _ => (overrides, null), validateOnly, cancellationToken);

    /// <summary>
    /// Changes a topic's overrides: <paramref name="merge"/> gets the overrides as stored and returns the new
    /// set (or a problem to report). It runs again if another writer changed the topic first, so an
    /// IncrementalAlterConfigs merges against the latest configs and never undoes a concurrent change.
    /// </summary>
    public async Task<TopicOperationResult> ChangeTopicConfigsAsync(string name,
        Func<IReadOnlyDictionary<string, string>, (IEnumerable<KeyValuePair<string, string?>>? Overrides, string? Problem)> merge,
        bool validateOnly, CancellationToken cancellationToken)
    {
        if (!store.Current.TryGetTopic(name, out var seen))
            return new(ErrorCode.UnknownTopicOrPartition, $"Topic '{name}' does not exist.");
        TopicOperationResult refused = default;
        TopicChange? Reconfigure(TopicMetadata topic)
        {
            var (overrides, problem) = merge(topic.Configs);
            if (problem is not null || overrides is null)
            {
                refused = new(ErrorCode.InvalidConfig, problem ?? "no configuration");
                return null;
            }
            try { return TopicChange.Of(topic with { Configs = TopicSettings.Validate(overrides) }); }
            catch (ConfigException e)
            {
                refused = new(ErrorCode.InvalidConfig, e.Message);
                return null;
            }
        }
        if (validateOnly) return Reconfigure(seen) is null ? refused : TopicOperationResult.Ok;
        var status = await store.UpdateTopicAsync(name, Reconfigure, cancellationToken);
        if (status == TopicUpdateStatus.Updated) await replicas.ApplyLatestAsync();
        return Outcome(name, status, refused);
    }
}
