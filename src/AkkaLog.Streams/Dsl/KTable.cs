using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

/// <summary>
/// A changelog stream read as a table: the latest value per key, kept in a store. Every update is
/// passed downstream (<see cref="ToStream"/> sees each change).
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed partial class KTable<TKey, TValue>
{
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
    internal TopologyNode Node { get; }
    internal Serde<TKey> KeySerde { get; }
    internal Serde<TValue> ValueSerde { get; }
    internal IReadOnlyList<TopicRef> SourceTopics { get; }

    /// <summary>For windowed tables: how long after a window's end it closes (grace, plus the gap for sessions).</summary>
    internal long? CloseDelayMs { get; }

    /// <summary>The queryable store holding this table (null when it is not materialized).</summary>
    public string? StoreName { get; }

    /// <summary>The table's updates as a stream.</summary>
    public KStream<TKey, TValue> ToStream()
    {
        var node = Builder.AddProcessor<TKey, TValue, TKey, TValue>(Node, "KTABLE-TOSTREAM", (_, next) => new LambdaProcessor<TKey, TValue>(next.Forward));
        return new KStream<TKey, TValue>(Builder, node, KeySerde, ValueSerde, repartitionRequired: false, SourceTopics);
    }
}
