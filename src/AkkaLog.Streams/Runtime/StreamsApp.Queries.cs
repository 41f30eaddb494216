using AkkaLog.Protocol.Partitioning;
using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

public sealed partial class StreamsApp
{
    /// <summary>
    /// A key-value store of this application for interactive queries. A key is looked up in the local task
    /// that owns its partition; <see cref="IReadOnlyKeyValueStore{TKey, TValue}.Get"/> throws
    /// <see cref="InvalidOperationException"/> when another instance hosts that key.
    /// </summary>
    public IReadOnlyKeyValueStore<TKey, TValue> Store<TKey, TValue>(string name)
    {
        var (builder, sub) = FindStore(name);
        if (builder.KeyType != typeof(TKey) || builder.ValueType != typeof(TValue))
            throw new ArgumentException($"store '{name}' holds {builder.KeyType.Name} -> {builder.ValueType.Name}, not {typeof(TKey).Name} -> {typeof(TValue).Name}");
        return new StoreQuery<TKey, TValue>(this, name, sub, key => builder.PartitionKeyBytes!(key!));
    }

    /// <summary>A windowed store (windowed aggregations) for interactive queries: each window of a key.</summary>
    public IReadOnlyKeyValueStore<Windowed<TKey>, TValue> WindowStore<TKey, TValue>(string name)
    {
        var (builder, sub) = FindStore(name);
        if (builder.KeyType != typeof(Windowed<TKey>) || builder.ValueType != typeof(TValue))
            throw new ArgumentException($"store '{name}' holds {builder.KeyType.Name} -> {builder.ValueType.Name}, not windowed {typeof(TKey).Name} -> {typeof(TValue).Name}");
        return new StoreQuery<Windowed<TKey>, TValue>(this, name, sub, key => builder.PartitionKeyBytes!(key.Key!));
    }

    private (StoreBuilder, int) FindStore(string name)
    {
        if (!_topology.Stores.TryGetValue(name, out var builder)) throw new ArgumentException($"no store named '{name}' in the topology");
        if (builder.PartitionKeyBytes is null) throw new ArgumentException($"store '{name}' cannot be queried");
        var sub = _topology.SubTopologies.First(s => s.Stores.Contains(builder)).Id;
        return (builder, sub);
    }

    private KeyValueStore<TKey, TValue>? LocalStore<TKey, TValue>(string name, int sub, byte[] keyBytes)
    {
        var topics = _topics ?? throw new InvalidOperationException("the application is not started");
        int partition = Murmur2.Partition(keyBytes, topics.TaskCounts[sub]);
        var tasks = _thread?.Tasks ?? throw new InvalidOperationException("the application is not started");
        if (!tasks.TryGetValue(new TaskId(sub, partition), out var task))
            throw new InvalidOperationException($"the key's task {sub}_{partition} is not hosted by this instance (now: {string.Join(", ", tasks.Keys)})");
        return task.Context.Stores[name] as KeyValueStore<TKey, TValue>;
    }

    private IEnumerable<KeyValuePair<TKey, TValue>> AllLocal<TKey, TValue>(string name) =>
        (_thread?.Tasks.Values ?? []).SelectMany(t => t.Context.Stores.TryGetValue(name, out var s) && s is KeyValueStore<TKey, TValue> kv ? kv.All() : []);

    private sealed class StoreQuery<TKey, TValue>(StreamsApp app, string name, int sub, Func<TKey, byte[]?> keyBytes)
        : IReadOnlyKeyValueStore<TKey, TValue>
    {
        public TValue? Get(TKey key) => TryGet(key, out var value) ? value : default;

        public bool TryGet(TKey key, out TValue value)
        {
            var store = app.LocalStore<TKey, TValue>(name, sub, keyBytes(key) ?? []);
            if (store is not null && store.TryGet(key, out value)) return true;
            value = default!;
            return false;
        }

        public IEnumerable<KeyValuePair<TKey, TValue>> All() => app.AllLocal<TKey, TValue>(name);
    }
}
