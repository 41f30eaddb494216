using System.Collections.Concurrent;
using AkkaLog.Client;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// The one store implementation every other store is built from: a concurrent map (so interactive
/// queries may read from other threads) plus a set of keys changed since the last commit. Persistent
/// stores add a <see cref="StoreFile"/> that receives the same changes as the changelog, at commit.
/// </summary>
internal sealed class KeyValueStore<TKey, TValue> : IStateStore, IReadOnlyKeyValueStore<TKey, TValue>
{
    private readonly ConcurrentDictionary<TKey, TValue> _map = new();
    private readonly HashSet<TKey> _dirty = [];
    private readonly Serde<TKey> _keySerde;
    private readonly Serde<TValue> _valueSerde;
    private readonly StoreFile? _file;
    private long _changelogAcked = -1; // written by delivery handlers (one at a time, in offset order)
    private long _acknowledged = -1;
    private readonly string? _directory;

    public KeyValueStore(StoreContext context, Serde<TKey> keySerde, Serde<TValue> valueSerde, bool persistent)
    {
        Name = context.Name;
        ChangelogTopic = context.ChangelogTopic;
        Partition = context.Partition;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        if (!persistent) return;
        Persistent = true;
        string dir = _directory = context.Directory ?? throw new InvalidOperationException("a persistent store needs state.dir");
        _file = new StoreFile(Path.Combine(dir, Name + ".log"));
        CheckpointedOffset = Checkpoint.Read(dir, Name);
        if (CheckpointedOffset < 0 && ChangelogTopic is not null)
        {
            // No clean checkpoint: the file may hold anything; the changelog is the truth, read it all.
            _file.Clear();
            return;
        }
        LoadedFromLocal = _file.ReadAll((k, v) => Apply(k, v));
        _acknowledged = CheckpointedOffset;
    }

    public string Name { get; }
    public string? ChangelogTopic { get; }
    public int Partition { get; }
    public bool Persistent { get; }
    public long LoadedFromLocal { get; }
    public long CheckpointedOffset { get; private set; } = -1;

    /// <summary>Raised on the processing thread after a restore, so derived indexes can be rebuilt.</summary>
    public event Action? Restored;

    public int Count => _map.Count;

    public bool TryGet(TKey key, out TValue value) => _map.TryGetValue(key, out value!);

    public TValue? Get(TKey key) => _map.TryGetValue(key, out var value) ? value : default;

    public IEnumerable<KeyValuePair<TKey, TValue>> All() => _map;

    public void Put(TKey key, TValue value)
    {
        _map[key] = value;
        _dirty.Add(key);
    }

    public void Delete(TKey key)
    {
        if (_map.TryRemove(key, out _)) _dirty.Add(key);
    }

    public void Wipe()
    {
        _map.Clear();
        _dirty.Clear();
        _file?.Clear();
        // Removed now, so a crash before the next commit cannot pair the emptied file with the old offset.
        if (_directory is not null) Checkpoint.Delete(_directory, Name);
        CheckpointedOffset = -1;
        _acknowledged = -1;
        Interlocked.Exchange(ref _changelogAcked, -1);
    }

    public void Restore(ReadOnlySpan<byte> key, byte[]? value, long offset)
    {
        Apply(key, value);
        _file?.Append(key, value);
        _acknowledged = Math.Max(_acknowledged, offset);
    }

    private TKey Apply(ReadOnlySpan<byte> key, byte[]? value)
    {
        var k = _keySerde.Deserialize(key, false);
        if (value is null) _map.TryRemove(k, out _);
        else _map[k] = _valueSerde.Deserialize(value, false);
        return k;
    }

    public void RestoreFinished()
    {
        _file?.Flush();
        Restored?.Invoke();
    }

    public void WriteChanges(RecordCollector collector)
    {
        if (_dirty.Count == 0) return;
        foreach (var key in _dirty)
        {
            var keyBytes = _keySerde.Serialize(key) ?? [];
            var valueBytes = _map.TryGetValue(key, out var value) ? _valueSerde.Serialize(value) : null;
            if (ChangelogTopic is not null) collector.SendChangelog(ChangelogTopic, Partition, keyBytes, valueBytes, ChangelogAcked);
            _file?.Append(keyBytes, valueBytes);
        }
        _dirty.Clear();
    }

    private void ChangelogAcked(long offset)
    {
        long seen;
        while ((seen = Interlocked.Read(ref _changelogAcked)) < offset && Interlocked.CompareExchange(ref _changelogAcked, offset, seen) != seen) { }
    }

    public long AcknowledgedChangelogOffset()
    {
        _acknowledged = Math.Max(_acknowledged, Interlocked.Read(ref _changelogAcked));
        return _acknowledged;
    }

    public void FlushLocal()
    {
        if (_file is null) return;
        _file.Flush();
        long live = _map.Count * 32L;
        if (_file.Length > (1 << 20) && _file.Length > 4 * live)
            _file.Rewrite(_map.Select(kv => (_keySerde.Serialize(kv.Key) ?? [], _valueSerde.Serialize(kv.Value)!)).ToList());
    }

    public void Close() => _file?.Dispose();
}
