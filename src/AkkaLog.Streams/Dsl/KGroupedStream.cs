using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

/// <summary>A stream grouped by key, ready to aggregate into a table (or, windowed, into a windowed table). Null keys are dropped.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class KGroupedStream<TKey, TValue>
{
    internal KGroupedStream(KStream<TKey, TValue> stream) => Stream = stream;

    internal KStream<TKey, TValue> Stream { get; }

    /// <summary>Counts records per key.</summary>
    public KTable<TKey, long> Count(Materialized<TKey, long>? materialized = null) =>
        Aggregate(() => 0L, (_, _, count) => count + 1, materialized);

    /// <summary>Combines values per key: the first value as it is, then <c>reducer(aggregate, value)</c>.</summary>
    public KTable<TKey, TValue> Reduce(Func<TValue, TValue, TValue> reducer, Materialized<TKey, TValue>? materialized = null) =>
        AggregateCore("KSTREAM-REDUCE", materialized, (found, agg, k, v) => found ? reducer(agg, v) : v);

    /// <summary>Folds values per key, starting from <paramref name="initializer"/>.</summary>
    public KTable<TKey, TAggregate> Aggregate<TAggregate>(Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator,
        Materialized<TKey, TAggregate>? materialized = null) =>
        AggregateCore<TAggregate>("KSTREAM-AGGREGATE", materialized, (found, agg, k, v) => aggregator(k, v, found ? agg : initializer()));

    /// <summary>Aggregates per time window (tumbling, hopping or sliding).</summary>
    public TimeWindowedKStream<TKey, TValue> WindowedBy(WindowsSpec windows) => new(Stream, windows ?? throw new ArgumentNullException(nameof(windows)));

    /// <summary>Aggregates per session: records of a key closer than the inactivity gap form one session.</summary>
    public SessionWindowedKStream<TKey, TValue> WindowedBy(SessionWindows windows) => new(Stream, windows ?? throw new ArgumentNullException(nameof(windows)));

    private KTable<TKey, TAggregate> AggregateCore<TAggregate>(string prefix, Materialized<TKey, TAggregate>? materialized,
        Func<bool, TAggregate, TKey, TValue, TAggregate> step)
    {
        var builder = Stream.Builder;
        var ks = materialized?.KeySerde ?? Stream.KeySerde;
        var vs = materialized?.ValueSerde ?? Serdes.For<TAggregate>();
        string store = builder.AddKeyValueStore(materialized?.StoreName ?? builder.NewName(prefix + "-STATE-STORE"), ks, vs,
            materialized?.StoreType ?? StoreType.InMemory, materialized?.LoggingEnabled ?? true);
        var node = builder.AddProcessor<TKey, TValue, TKey, Change<TAggregate>>(Stream.Node, prefix, (ctx, next) =>
        {
            var kv = ctx.Store<KeyValueStore<TKey, TAggregate>>(store);
            return new LambdaProcessor<TKey, TValue>((k, v, ts) =>
            {
                if (k is null) return;
                bool found = kv.TryGet(k, out var old);
                var agg = step(found, old, k, v);
                kv.Put(k, agg);
                next.Forward(k, Change<TAggregate>.Known(true, agg, found, old), ts);
            });
        }, store);
        return new KTable<TKey, TAggregate>(builder, node, ks, vs, store, Stream.SourceTopics);
    }
}
