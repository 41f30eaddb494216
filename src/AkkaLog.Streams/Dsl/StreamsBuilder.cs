using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

/// <summary>
/// Starts a topology: streams and tables from topics, then stages on them (<see cref="KStream{TKey, TValue}"/>,
/// <see cref="KTable{TKey, TValue}"/>), then <see cref="Build"/>. Node, store and repartition topic names
/// are generated from a counter when not given, so the same code yields the same names in every instance.
/// Not thread-safe.
/// </summary>
public sealed class StreamsBuilder
{
    private readonly List<TopologyNode> _nodes = [];
    private readonly Dictionary<string, StoreBuilder> _stores = new(StringComparer.Ordinal);
    private readonly List<IReadOnlySet<TopicRef>> _copartitionGroups = [];
    private readonly Dictionary<string, int> _repartitionPartitions = new(StringComparer.Ordinal);
    private int _index;
    private bool _built;

    /// <summary>A stream of the records of <paramref name="topic"/>. Serdes default to the built-in ones for the types.</summary>
    public KStream<TKey, TValue> Stream<TKey, TValue>(string topic, Serde<TKey>? keySerde = null, Serde<TValue>? valueSerde = null,
        Func<TKey, TValue, long, long>? timestampExtractor = null) =>
        Stream([topic], keySerde, valueSerde, timestampExtractor);

    /// <summary>
    /// A stream of the records of several topics. Event time is the record timestamp, or what
    /// <paramref name="timestampExtractor"/> returns for (key, value, record timestamp).
    /// </summary>
    public KStream<TKey, TValue> Stream<TKey, TValue>(IReadOnlyList<string> topics, Serde<TKey>? keySerde = null, Serde<TValue>? valueSerde = null,
        Func<TKey, TValue, long, long>? timestampExtractor = null)
    {
        if (topics.Count == 0 || topics.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("a stream needs at least one topic name");
        var ks = keySerde ?? Serdes.For<TKey>();
        var vs = valueSerde ?? Serdes.For<TValue>();
        var refs = topics.Select(t => new TopicRef(t, false)).ToList();
        var node = Add(new SourceNode<TKey, TValue>(NewName("KSTREAM-SOURCE"), refs, ks, vs, timestampExtractor));
        return new KStream<TKey, TValue>(this, node, ks, vs, repartitionRequired: false, refs);
    }

    /// <summary>
    /// A table of the latest value per key of <paramref name="topic"/> (typically compacted): a null value
    /// (tombstone) deletes the key and is passed on as a deletion (a null value after <c>ToStream()</c>).
    /// The table's store is queryable and has its own changelog.
    /// </summary>
    public KTable<TKey, TValue> Table<TKey, TValue>(string topic, Materialized<TKey, TValue>? materialized = null)
    {
        if (string.IsNullOrWhiteSpace(topic)) throw new ArgumentException("a table needs a topic name");
        var ks = materialized?.KeySerde ?? Serdes.For<TKey>();
        var vs = materialized?.ValueSerde ?? Serdes.For<TValue>();
        var refs = new List<TopicRef> { new(topic, false) };
        var source = Add(new SourceNode<TKey, TValue>(NewName("KTABLE-SOURCE"), refs, ks, vs, null));
        string store = AddKeyValueStore(materialized?.StoreName ?? NewName("KTABLE-SOURCE-STATE-STORE"), ks, vs,
            materialized?.StoreType ?? StoreType.InMemory, materialized?.LoggingEnabled ?? true);
        var node = AddProcessor<TKey, TValue, TKey, Change<TValue>>(source, "KTABLE-MATERIALIZE",
            (ctx, next) => TableStages.Upsert(ctx.Store<KeyValueStore<TKey, TValue>>(store), next), store);
        return new KTable<TKey, TValue>(this, node, ks, vs, store, refs);
    }

    /// <summary>A store fed by <paramref name="table"/>'s changes, and the table read from it (same changes, old values from the store).</summary>
    internal KTable<TKey, TValue> MaterializeTable<TKey, TValue>(KTable<TKey, TValue> table, Materialized<TKey, TValue>? materialized)
    {
        var ks = materialized?.KeySerde ?? table.KeySerde;
        var vs = materialized?.ValueSerde ?? table.ValueSerde;
        string store = AddKeyValueStore(materialized?.StoreName ?? NewName("KTABLE-MATERIALIZED-STATE-STORE"), ks, vs,
            materialized?.StoreType ?? StoreType.InMemory, materialized?.LoggingEnabled ?? true);
        var node = AddProcessor<TKey, Change<TValue>, TKey, Change<TValue>>(table.Node, "KTABLE-MATERIALIZE",
            (ctx, next) => TableStages.Materialize(ctx.Store<KeyValueStore<TKey, TValue>>(store), next), store);
        return new KTable<TKey, TValue>(this, node, ks, vs, store, table.SourceTopics);
    }

    /// <summary>Finishes the topology. The builder cannot be used afterwards.</summary>
    public Topology Build()
    {
        if (_built) throw new InvalidOperationException("Build was already called");
        _built = true;
        return new Topology(_nodes.ToList(), new Dictionary<string, StoreBuilder>(_stores), _copartitionGroups.ToList(),
            new Dictionary<string, int>(_repartitionPartitions));
    }

    internal string NewName(string prefix) => $"{prefix}-{_index++:D10}";

    internal TopologyNode Add(TopologyNode node)
    {
        if (_built) throw new InvalidOperationException("the topology was already built");
        _nodes.Add(node);
        return node;
    }

    internal TopologyNode AddProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut>(TopologyNode parent, string prefix,
        Func<TaskContext, Forwarder<TKeyOut, TValueOut>, IProcessor<TKeyIn, TValueIn>> factory, params string[] stores)
    {
        var node = new ProcessorNode<TKeyIn, TValueIn, TKeyOut, TValueOut>(NewName(prefix), factory);
        node.Stores.AddRange(stores);
        Add(node);
        parent.AddChild(node);
        return node;
    }

    internal string AddKeyValueStore<TKey, TValue>(string name, Serde<TKey> keySerde, Serde<TValue> valueSerde, StoreType type, bool logged,
        Func<object, byte[]?>? partitionKeyBytes = null)
    {
        bool persistent = type == StoreType.Persistent;
        AddStore(new StoreBuilder(name, persistent, logged, ctx => new KeyValueStore<TKey, TValue>(ctx, keySerde, valueSerde, persistent))
        {
            KeyType = typeof(TKey), ValueType = typeof(TValue), PartitionKeyBytes = partitionKeyBytes ?? (k => keySerde.Serialize((TKey)k)),
        });
        return name;
    }

    internal void AddStore(StoreBuilder store)
    {
        if (string.IsNullOrWhiteSpace(store.Name) || store.Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
            throw new TopologyException($"store name '{store.Name}' may only hold ASCII letters, digits, '.', '_' and '-'");
        if (!_stores.TryAdd(store.Name, store)) throw new TopologyException($"a store named '{store.Name}' already exists");
    }

    internal void Copartition(IEnumerable<TopicRef> topics) => _copartitionGroups.Add(topics.ToHashSet());

    internal void SetRepartitionPartitions(string name, int partitions)
    {
        if (partitions <= 0) throw new ArgumentException($"a repartition topic needs at least one partition, got {partitions}");
        _repartitionPartitions[name] = partitions;
    }
}
