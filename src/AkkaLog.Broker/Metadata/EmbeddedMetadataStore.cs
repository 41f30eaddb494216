using System.Text.Json;

namespace AkkaLog.Broker.Metadata;

/// <summary>
/// The single-node metadata store: topics and the cluster id in one JSON file under the first
/// log dir, replaced atomically (write a temp file, fsync, rename) on every change, so a crash
/// leaves either the old or the new file. Writers are serialized with a semaphore.
/// </summary>
public sealed class EmbeddedMetadataStore : IMetadataStore
{
    private const string FileName = "akkalog-metadata.json";
    private readonly string _path;
    private readonly string? _configuredClusterId;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile MetadataImage _current = MetadataImage.Empty("");

    /// <summary>Creates a store persisted in <paramref name="directory"/>.</summary>
    public EmbeddedMetadataStore(string directory, string? configuredClusterId)
    {
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, FileName);
        _configuredClusterId = configuredClusterId;
    }

    /// <inheritdoc />
    public MetadataImage Current => _current;

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
            _current = new MetadataImage(doc.ClusterId, doc.Topics.Select(t => t.ToMetadata()));
            return;
        }
        string clusterId = _configuredClusterId ?? NewClusterId();
        _current = MetadataImage.Empty(clusterId);
        await PersistAsync(_current, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryCreateTopicAsync(TopicMetadata topic, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_current.TopicsByName.ContainsKey(topic.Name)) return false;
            await PublishAsync(_current.With(topic), cancellationToken);
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
            if (!_current.TopicsByName.ContainsKey(name)) return false;
            await PublishAsync(_current.Without(name), cancellationToken);
            return true;
        }
        finally { _writeLock.Release(); }
    }

    /// <inheritdoc />
    public async ValueTask UpdateTopicAsync(TopicMetadata topic, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try { await PublishAsync(_current.With(topic), cancellationToken); }
        finally { _writeLock.Release(); }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task PublishAsync(MetadataImage image, CancellationToken cancellationToken)
    {
        await PersistAsync(image, cancellationToken);
        _current = image;
    }

    private async Task PersistAsync(MetadataImage image, CancellationToken cancellationToken)
    {
        var doc = new MetadataDocument(image.ClusterId, image.TopicsByName.Values.OrderBy(t => t.Name).Select(TopicRecord.From).ToList());
        string temp = _path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.WriteThrough))
        {
            await JsonSerializer.SerializeAsync(stream, doc, MetadataJsonContext.Default.MetadataDocument, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, _path, overwrite: true);
    }

    /// <summary>A Kafka-style cluster id: 16 random bytes, URL-safe base64 without padding.</summary>
    private static string NewClusterId() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
