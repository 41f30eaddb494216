using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

/// <summary>
/// An unbounded stream of key-value records. Stages return new streams; nothing runs until the
/// topology is built and started. A stage that may change the key (<see cref="Select{TKeyOut, TValueOut}"/>,
/// <see cref="SelectKey"/>, <see cref="SelectMany{TKeyOut, TValueOut}"/>) marks the stream: a later grouping or
/// join first repartitions it through an internal topic so equal keys meet in one task.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed partial class KStream<TKey, TValue>
{
    internal KStream(StreamsBuilder builder, TopologyNode node, Serde<TKey> keySerde, Serde<TValue> valueSerde, bool repartitionRequired,
        IReadOnlyList<TopicRef> sourceTopics)
    {
        Builder = builder;
        Node = node;
        KeySerde = keySerde;
        ValueSerde = valueSerde;
        RepartitionRequired = repartitionRequired;
        SourceTopics = sourceTopics;
    }

    internal StreamsBuilder Builder { get; }
    internal TopologyNode Node { get; }
    internal Serde<TKey> KeySerde { get; }
    internal Serde<TValue> ValueSerde { get; }
    internal bool RepartitionRequired { get; }

    /// <summary>The topics this stream comes from within its sub-topology (for co-partitioning checks).</summary>
    internal IReadOnlyList<TopicRef> SourceTopics { get; }

    /// <summary>Maps each record to a new key and value (the key may change: repartitions before grouping/joining).</summary>
    public KStream<TKeyOut, TValueOut> Select<TKeyOut, TValueOut>(Func<TKey, TValue, KeyValuePair<TKeyOut, TValueOut>> mapper) =>
        Then<TKeyOut, TValueOut>("KSTREAM-MAP", next => (k, v, ts) => { var kv = mapper(k, v); next.Forward(kv.Key, kv.Value, ts); }, keyChanged: true);

    /// <summary>Maps each value, keeping the key.</summary>
    public KStream<TKey, TValueOut> SelectValues<TValueOut>(Func<TKey, TValue, TValueOut> mapper) =>
        Then<TKey, TValueOut>("KSTREAM-MAPVALUES", next => (k, v, ts) => next.Forward(k, mapper(k, v), ts), keyChanged: false, KeySerde);

    /// <summary>Maps each value, keeping the key.</summary>
    public KStream<TKey, TValueOut> SelectValues<TValueOut>(Func<TValue, TValueOut> mapper) => SelectValues((_, v) => mapper(v));

    /// <summary>Sets a new key computed from the record.</summary>
    public KStream<TKeyOut, TValue> SelectKey<TKeyOut>(Func<TKey, TValue, TKeyOut> keySelector) =>
        Then<TKeyOut, TValue>("KSTREAM-KEY-SELECT", next => (k, v, ts) => next.Forward(keySelector(k, v), v, ts), keyChanged: true, null, ValueSerde);

    /// <summary>Keeps the records <paramref name="predicate"/> accepts.</summary>
    public KStream<TKey, TValue> Where(Func<TKey, TValue, bool> predicate) =>
        Then<TKey, TValue>("KSTREAM-FILTER", next => (k, v, ts) => { if (predicate(k, v)) next.Forward(k, v, ts); }, keyChanged: false, KeySerde, ValueSerde);

    /// <summary>Turns each record into zero or more records (the key may change).</summary>
    public KStream<TKeyOut, TValueOut> SelectMany<TKeyOut, TValueOut>(Func<TKey, TValue, IEnumerable<KeyValuePair<TKeyOut, TValueOut>>> mapper) =>
        Then<TKeyOut, TValueOut>("KSTREAM-FLATMAP", next => (k, v, ts) => { foreach (var kv in mapper(k, v)) next.Forward(kv.Key, kv.Value, ts); }, keyChanged: true);

    /// <summary>Turns each value into zero or more values with the same key.</summary>
    public KStream<TKey, TValueOut> SelectManyValues<TValueOut>(Func<TValue, IEnumerable<TValueOut>> mapper) =>
        Then<TKey, TValueOut>("KSTREAM-FLATMAPVALUES", next => (k, v, ts) => { foreach (var o in mapper(v)) next.Forward(k, o, ts); }, keyChanged: false, KeySerde);

    /// <summary>Calls <paramref name="action"/> for each record and passes it on unchanged.</summary>
    public KStream<TKey, TValue> Peek(Action<TKey, TValue> action) =>
        Then<TKey, TValue>("KSTREAM-PEEK", next => (k, v, ts) => { action(k, v); next.Forward(k, v, ts); }, keyChanged: false, KeySerde, ValueSerde);

    /// <summary>
    /// Splits the stream: each record goes to the first branch whose predicate accepts it (or none).
    /// Returns one stream per predicate, in order.
    /// </summary>
    public KStream<TKey, TValue>[] Branch(params Func<TKey, TValue, bool>[] predicates)
    {
        if (predicates.Length == 0) throw new ArgumentException("Branch needs at least one predicate");
        // Each branch filters on "the first predicate that accepts the record is mine".
        var branches = new KStream<TKey, TValue>[predicates.Length];
        for (int i = 0; i < predicates.Length; i++)
        {
            int mine = i;
            var child = Builder.AddProcessor<TKey, TValue, TKey, TValue>(Node, "KSTREAM-BRANCHCHILD", (_, next) => new LambdaProcessor<TKey, TValue>((k, v, ts) =>
            {
                for (int p = 0; p < mine; p++) if (predicates[p](k, v)) return;
                if (predicates[mine](k, v)) next.Forward(k, v, ts);
            }));
            branches[i] = new KStream<TKey, TValue>(Builder, child, KeySerde, ValueSerde, RepartitionRequired, SourceTopics);
        }
        return branches;
    }

    /// <summary>Both streams' records as one stream (each keeps its order; no order between them).</summary>
    public KStream<TKey, TValue> Merge(KStream<TKey, TValue> other)
    {
        var node = Builder.AddProcessor<TKey, TValue, TKey, TValue>(Node, "KSTREAM-MERGE", (_, next) => new LambdaProcessor<TKey, TValue>(next.Forward));
        other.Node.AddChild(node);
        return new KStream<TKey, TValue>(Builder, node, KeySerde, ValueSerde, RepartitionRequired || other.RepartitionRequired,
            SourceTopics.Concat(other.SourceTopics).Distinct().ToList());
    }

    /// <summary>
    /// Writes the stream to an internal topic <c>&lt;application.id&gt;-&lt;name&gt;-repartition</c> and reads it back,
    /// so records are partitioned by their current key.
    /// </summary>
    public KStream<TKey, TValue> Repartition(string? name = null, int? partitions = null, Serde<TKey>? keySerde = null, Serde<TValue>? valueSerde = null)
    {
        var ks = keySerde ?? KeySerde;
        var vs = valueSerde ?? ValueSerde;
        string topicName = name ?? Builder.NewName("KSTREAM-REPARTITION");
        if (partitions is { } n) Builder.SetRepartitionPartitions(topicName, n);
        var topic = new TopicRef(topicName, true);
        var sink = new ProcessorNode<TKey, TValue, TKey, TValue>(Builder.NewName("KSTREAM-REPARTITION-SINK"),
            (ctx, _) => new SinkProcessor<TKey, TValue>(ctx, topic.Resolve(ctx.ApplicationId), ks, vs, dropNullKeys: true)) { SinkTopic = topic };
        Builder.Add(sink);
        Node.AddChild(sink);
        var source = Builder.Add(new SourceNode<TKey, TValue>(Builder.NewName("KSTREAM-REPARTITION-SOURCE"), [topic], ks, vs, null));
        return new KStream<TKey, TValue>(Builder, source, ks, vs, repartitionRequired: false, [topic]);
    }

    /// <summary>Writes every record to <paramref name="topic"/> (partitioned by key with murmur2, keeping timestamps).</summary>
    public void To(string topic, Serde<TKey>? keySerde = null, Serde<TValue>? valueSerde = null)
    {
        if (string.IsNullOrWhiteSpace(topic)) throw new ArgumentException("To needs a topic name");
        var ks = keySerde ?? KeySerde;
        var vs = valueSerde ?? ValueSerde;
        var sink = new ProcessorNode<TKey, TValue, TKey, TValue>(Builder.NewName("KSTREAM-SINK"),
            (ctx, _) => new SinkProcessor<TKey, TValue>(ctx, topic, ks, vs, dropNullKeys: false)) { SinkTopic = new TopicRef(topic, false) };
        Builder.Add(sink);
        Node.AddChild(sink);
    }

    /// <summary>Calls <paramref name="action"/> for each record (a terminal stage).</summary>
    public void ForEach(Action<TKey, TValue> action) =>
        Builder.AddProcessor<TKey, TValue, TKey, TValue>(Node, "KSTREAM-FOREACH", (_, _) => new LambdaProcessor<TKey, TValue>((k, v, _) => action(k, v)));

    /// <summary>
    /// Calls an async function for each record (a terminal stage). The task waits for each call before its next
    /// record, so a slow function slows consumption (its partitions pause once their buffers fill), and offsets are
    /// committed only after the calls before them completed. The token is cancelled when the application stops.
    /// </summary>
    public void ForEachAsync(Func<TKey, TValue, CancellationToken, Task> action) =>
        Builder.AddProcessor<TKey, TValue, TKey, TValue>(Node, "KSTREAM-FOREACH-ASYNC", (ctx, _) => new AsyncSinkProcessor<TKey, TValue>(ctx, action));

    /// <summary>Groups by the current key (repartitioning first if the key may have changed).</summary>
    public KGroupedStream<TKey, TValue> GroupByKey(Grouped<TKey, TValue>? grouped = null)
    {
        var stream = RepartitionRequired || grouped?.Partitions is not null
            ? Repartition(grouped?.Name ?? Builder.NewName("KSTREAM-GROUPBY"), grouped?.Partitions, grouped?.KeySerde, grouped?.ValueSerde)
            : this;
        return new KGroupedStream<TKey, TValue>(stream);
    }

    /// <summary>Groups by a new key: <see cref="SelectKey"/> then <see cref="GroupByKey"/> (always repartitions).</summary>
    public KGroupedStream<TKeyOut, TValue> GroupBy<TKeyOut>(Func<TKey, TValue, TKeyOut> keySelector, Grouped<TKeyOut, TValue>? grouped = null)
        =>
        SelectKey(keySelector).GroupByKey(grouped);

    /// <summary>A table of the latest value per key (deleting on null values).</summary>
    public KTable<TKey, TValue> ToTable(Materialized<TKey, TValue>? materialized = null)
    {
        var stream = RepartitionRequired ? Repartition(Builder.NewName("KSTREAM-TOTABLE")) : this;
        var ks = materialized?.KeySerde ?? stream.KeySerde;
        var vs = materialized?.ValueSerde ?? stream.ValueSerde;
        string store = Builder.AddKeyValueStore(materialized?.StoreName ?? Builder.NewName("KSTREAM-TOTABLE-STATE-STORE"), ks, vs,
            materialized?.StoreType ?? StoreType.InMemory, materialized?.LoggingEnabled ?? true);
        var node = Builder.AddProcessor<TKey, TValue, TKey, Change<TValue>>(stream.Node, "KSTREAM-TOTABLE",
            (ctx, next) => TableStages.Upsert(ctx.Store<KeyValueStore<TKey, TValue>>(store), next), store);
        return new KTable<TKey, TValue>(Builder, node, ks, vs, store, stream.SourceTopics);
    }

    private KStream<TKeyOut, TValueOut> Then<TKeyOut, TValueOut>(string prefix, Func<Forwarder<TKeyOut, TValueOut>, Action<TKey, TValue, long>> stage,
        bool keyChanged, Serde<TKeyOut>? keySerde = null, Serde<TValueOut>? valueSerde = null)
    {
        var node = Builder.AddProcessor<TKey, TValue, TKeyOut, TValueOut>(Node, prefix, (_, next) => new LambdaProcessor<TKey, TValue>(stage(next)));
        return new KStream<TKeyOut, TValueOut>(Builder, node, keySerde ?? Serdes.For<TKeyOut>(), valueSerde ?? Serdes.For<TValueOut>(),
            RepartitionRequired || keyChanged, SourceTopics);
    }
}
