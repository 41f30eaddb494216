using System.Text.Json;
using AkkaLog.Broker.Handlers;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Metadata;

/// <summary>
/// The single-node metadata store: topics, partition states and the cluster id in one JSON file under
/// the first log dir, replaced atomically (write a temp file, fsync, rename) on every change, so a crash
/// leaves either the old or the new file. Writers are serialized with a semaphore. The one broker is
/// the whole cluster: it is the only live broker, the controller, and every partition's only replica
/// (files written by older versions, without partition states, load that way too).
/// </summary>
public sealed class EmbeddedMetadataStore : IMetadataStore
{
    private const string FileName = "akkalog-metadata.json";
    private readonly string _path;
    private readonly string? _configuredClusterId;
    private readonly int _nodeId;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile MetadataImage _current = MetadataImage.Empty("");
    private long _version;

    /// <summary>Creates a store persisted in <paramref name="directory"/> for the broker <paramref name="nodeId"/>.</summary>
    public EmbeddedMetadataStore(string directory, string? configuredClusterId, int nodeId = 0)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, FileName);
        _configuredClusterId = configuredClusterId;
        _nodeId = nodeId;
    }

    /// <inheritdoc />
    public MetadataImage Current => _current;

    /// <inheritdoc />
    public event Action<MetadataImage>? Changed;

    /// <inheritdoc />
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(_path))
        {
            await using var stream = File.OpenRead(_path);
            var doc = await JsonSerializer.DeserializeAsync(stream, MetadataJsonContext.Default.MetadataDocument, cancellationToken)
                ?? throw new InvalidDataException($"{_path} is empty");
            if (_configuredClusterId is not null && _configuredClusterId != doc.ClusterId)
                throw new InvalidOperationException($"cluster.id '{_configuredClusterId}' does not match '{doc.ClusterId}' stored in {_path}");
            var stored = (doc.Partitions ?? []).ToDictionary(p => new TopicPartition(p.Topic, p.Partition), p => p.State);
            var topics = doc.Topics.Select(t => t.ToMetadata()).ToList();
            var partitions = new Dictionary<TopicPartition, PartitionState>();
            foreach (var topic in topics)
                for (int i = 0; i < topic.PartitionCount; i++)
                {
                    var tp = new TopicPartition(topic.Name, i);
                    // This node is the only replica whatever an older file or another node.id said.
                    int epoch = stored.TryGetValue(tp, out var s) ? s.LeaderEpoch : 0;
                    partitions[tp] = PartitionState.SingleReplica(_nodeId, epoch) with { Version = NextVersion() };
                }
            _current = new MetadataImage(doc.ClusterId, topics, partitions, [], -1, 0);
            return;
        }
        string clusterId = _configuredClusterId ?? NewClusterId();
        _current = MetadataImage.Empty(clusterId);
        await PersistAsync(_current, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask RegisterBrokerAsync(BrokerNode self, CancellationToken cancellationToken)
    {
        var image = _current;
        Publish(image.WithMembership([self], image.ControllerId, image.ControllerEpoch));
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> TryBecomeControllerAsync(CancellationToken cancellationToken)
    {
        var image = _current;
        if (image.ControllerId != _nodeId) Publish(image.WithMembership(image.Brokers.Values, _nodeId, 1));
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryCreateTopicAsync(TopicMetadata topic, IReadOnlyList<PartitionState> partitions, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var image = _current;
            if (image.TopicsByName.ContainsKey(topic.Name)) return false;
            var states = image.Partitions.ToList();
            for (int i = 0; i < partitions.Count; i++)
                states.Add(KeyValuePair.Create(new TopicPartition(topic.Name, i), partitions[i] with { Version = NextVersion() }));
            await PublishAsync(image.WithTopics(image.TopicsByName.Values.Append(topic), states), cancellationToken);
            return true;
        }
        finally { _writeLock.Release(); }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryDeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var image = _current;
            if (!image.TopicsByName.ContainsKey(name)) return false;
            await PublishAsync(image.WithTopics(image.TopicsByName.Values.Where(t => t.Name != name),
                image.Partitions.Where(p => p.Key.Topic != name)), cancellationToken);
            return true;
        }
        finally { _writeLock.Release(); }
    }

    /// <inheritdoc />
    public async ValueTask<TopicUpdateStatus> UpdateTopicAsync(string name, Func<TopicMetadata, TopicChange?> change, CancellationToken cancellationToken)
    {
        // Writers are serialized here, so the change always sees the latest record: no race to lose.
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var image = _current;
            if (!image.TopicsByName.TryGetValue(name, out var current)) return TopicUpdateStatus.NotFound;
            if (change(current) is not { } next) return TopicUpdateStatus.Declined;
            EnsureSameTopic(current, next.Topic);
            var states = image.Partitions.ToDictionary();
            foreach (var (index, state) in next.AddedPartitions)
                states[new TopicPartition(name, index)] = state with { Version = NextVersion() };
            await PublishAsync(image.WithTopics(image.TopicsByName.Values.Where(t => t.Name != name).Append(next.Topic), states), cancellationToken);
            return TopicUpdateStatus.Updated;
        }
        finally { _writeLock.Release(); }
    }

    /// <summary>A topic change keeps the topic's name and id (shared with the etcd store).</summary>
    internal static void EnsureSameTopic(TopicMetadata current, TopicMetadata next)
    {
        if (next.Name != current.Name || next.Id != current.Id)
            throw new ArgumentException($"a change of topic '{current.Name}' ({current.Id}) returned topic '{next.Name}' ({next.Id})");
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryUpdatePartitionAsync(TopicPartition partition, PartitionState expected, PartitionState next, bool asController,
        CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var image = _current;
            if (!image.Partitions.TryGetValue(partition, out var current) || current.Version != expected.Version) return false;
            if (asController && image.ControllerId != _nodeId) return false;
            var states = image.Partitions.ToDictionary();
            states[partition] = next with { Version = NextVersion() };
            await PublishAsync(image.WithTopics(image.TopicsByName.Values, states), cancellationToken);
            return true;
        }
        finally { _writeLock.Release(); }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private long NextVersion() => Interlocked.Increment(ref _version);

    private async Task PublishAsync(MetadataImage image, CancellationToken cancellationToken)
    {
        await PersistAsync(image, cancellationToken);
        Publish(image);
    }

    private void Publish(MetadataImage image)
    {
        _current = image;
        Changed?.Invoke(image);
    }

    private async Task PersistAsync(MetadataImage image, CancellationToken cancellationToken)
    {
        var doc = new MetadataDocument(image.ClusterId,
            image.TopicsByName.Values.OrderBy(t => t.Name).Select(TopicRecord.From).ToList(),
            image.Partitions.OrderBy(p => p.Key.Topic).ThenBy(p => p.Key.Partition)
                .Select(p => new PartitionRecord(p.Key.Topic, p.Key.Partition, p.Value)).ToList());
        string temp = _path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            await JsonSerializer.SerializeAsync(stream, doc, MetadataJsonContext.Default.MetadataDocument, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
    }

    /// <summary>A Kafka-style cluster id: 16 random bytes, URL-safe base64 without padding.</summary>
    internal static string NewClusterId() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
