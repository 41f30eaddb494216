using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

/// <summary>
/// A changelog stream read as a table: the latest value per key. Every update and every deletion is
/// passed downstream (<see cref="ToStream"/> sees each change; a deletion as a null value).
/// Tables from sources, <c>ToTable</c>, aggregations and joins are materialized in a store; tables from
/// <see cref="Filter(Func{TKey, TValue, bool}, Materialized{TKey, TValue}?)"/> and <see cref="MapValues{TValueOut}(Func{TKey, TValue, TValueOut}, Materialized{TKey, TValueOut}?)"/>
/// only when given a <see cref="Materialized{TKey, TValue}"/> or when a join needs their values.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed partial class KTable<TKey, TValue>
{
    private KTable<TKey, TValue>? _materialized;

    internal KTable(StreamsBuilder builder, TopologyNode node, Serde<TKey> keySerde, Serde<TValue> valueSerde, string? storeName,
        IReadOnlyList<TopicRef> sourceTopics, long? closeDelayMs = null)
    {
        Builder = builder;
        Node = node;
        KeySerde = keySerde;
        ValueSerde = valueSerde;
        StoreName = storeName;
        SourceTopics = sourceTopics;
        CloseDelayMs = closeDelayMs;
    }

    internal StreamsBuilder Builder { get; }

    /// <summary>The node forwarding this table's changes as (key, <see cref="Change{T}"/>).</summary>
    internal TopologyNode Node { get; }
    internal Serde<TKey> KeySerde { get; }
    internal Serde<TValue> ValueSerde { get; }
    internal IReadOnlyList<TopicRef> SourceTopics { get; }

    /// <summary>For windowed tables: how long after a window's end it closes (grace, plus the gap for sessions).</summary>
    internal long? CloseDelayMs { get; }

    /// <summary>The queryable store holding this table (null when it is not materialized).</summary>
    public string? StoreName { get; }

    /// <summary>
    /// The table's changes as a stream: each update as its new value, each deletion as a null value (<c>default</c>
    /// for a non-nullable value type such as <c>long</c>: map to <c>long?</c> first to tell deletions apart), so
    /// <c>To(topic)</c> writes tombstones a compacted topic understands.
    /// </summary>
    public KStream<TKey, TValue> ToStream()
    {
        var node = Builder.AddProcessor<TKey, Change<TValue>, TKey, TValue>(Node, "KTABLE-TOSTREAM",
            (_, next) => new LambdaProcessor<TKey, Change<TValue>>((k, c, ts) => next.Forward(k, c.HasNew ? c.NewValue : default!, ts)));
        return new KStream<TKey, TValue>(Builder, node, KeySerde, ValueSerde, repartitionRequired: false, SourceTopics);
    }

    /// <summary>
    /// The rows <paramref name="predicate"/> accepts. A key whose new value is rejected (or that was deleted) is
    /// deleted from the result, which forwards a tombstone if the key was in it; a key that never passed
    /// forwards nothing. After a windowed aggregation the old value is unknown, so every rejected update
    /// forwards a tombstone (as Kafka's unmaterialized filter does).
    /// </summary>
    public KTable<TKey, TValue> Filter(Func<TKey, TValue, bool> predicate, Materialized<TKey, TValue>? materialized = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var node = Builder.AddProcessor<TKey, Change<TValue>, TKey, Change<TValue>>(Node, "KTABLE-FILTER",
            (_, next) => new LambdaProcessor<TKey, Change<TValue>>((k, c, ts) =>
            {
                bool newPasses = c.HasNew && predicate(k, c.NewValue);
                bool oldPassed = c.HasOld && predicate(k, c.OldValue);
                if (newPasses || !c.OldKnown || oldPassed)
                    next.Forward(k, Change<TValue>.Of(newPasses, c.NewValue, c.OldKnown, oldPassed, c.OldValue), ts);
            }));
        return Derived(node, ValueSerde, materialized);
    }

    /// <summary>As <see cref="Filter(Func{TKey, TValue, bool}, Materialized{TKey, TValue}?)"/> on the value only.</summary>
    public KTable<TKey, TValue> Filter(Func<TValue, bool> predicate, Materialized<TKey, TValue>? materialized = null) =>
        Filter((_, v) => predicate(v), materialized);

    /// <summary>Keeps the rows <paramref name="predicate"/> rejects (the opposite of Filter, same tombstone rules).</summary>
    public KTable<TKey, TValue> FilterNot(Func<TKey, TValue, bool> predicate, Materialized<TKey, TValue>? materialized = null) =>
        Filter((k, v) => !predicate(k, v), materialized);

    /// <summary>Maps each row's value, keeping the key; deletions stay deletions (the mapper is not called for them).</summary>
    public KTable<TKey, TValueOut> MapValues<TValueOut>(Func<TKey, TValue, TValueOut> mapper, Materialized<TKey, TValueOut>? materialized = null)
    {
        ArgumentNullException.ThrowIfNull(mapper);
        var node = Builder.AddProcessor<TKey, Change<TValue>, TKey, Change<TValueOut>>(Node, "KTABLE-MAPVALUES",
            (_, next) => new LambdaProcessor<TKey, Change<TValue>>((k, c, ts) => next.Forward(k, c.Map(k, mapper), ts)));
        return Derived(node, materialized?.ValueSerde ?? Serdes.For<TValueOut>(), materialized);
    }

    /// <summary>As <see cref="MapValues{TValueOut}(Func{TKey, TValue, TValueOut}, Materialized{TKey, TValueOut}?)"/> on the value only.</summary>
    public KTable<TKey, TValueOut> MapValues<TValueOut>(Func<TValue, TValueOut> mapper, Materialized<TKey, TValueOut>? materialized = null) =>
        MapValues((_, v) => mapper(v), materialized);

    /// <summary>
    /// This table with a store: itself when it has one, else (once, then reused) a store fed by its changes.
    /// Joins call it, so an unmaterialized filter or mapping gets a store only when something reads it.
    /// </summary>
    internal KTable<TKey, TValue> EnsureMaterialized()
    {
        if (StoreName is not null) return this;
        return _materialized ??= Builder.MaterializeTable(this, null);
    }

    private KTable<TKey, TOut> Derived<TOut>(TopologyNode node, Serde<TOut> valueSerde, Materialized<TKey, TOut>? materialized)
    {
        var table = new KTable<TKey, TOut>(Builder, node, KeySerde, valueSerde, storeName: null, SourceTopics);
        return materialized is null ? table : Builder.MaterializeTable(table, materialized);
    }
}
