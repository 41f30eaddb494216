using AkkaLog.Streams.Internal;

namespace AkkaLog.Streams;

/// <summary>A grouped stream cut into time windows (tumbling, hopping or sliding), ready to aggregate per key and window.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class TimeWindowedKStream<TKey, TValue>
{
    private readonly KStream<TKey, TValue> _stream;
    private readonly WindowsSpec _windows;

    internal TimeWindowedKStream(KStream<TKey, TValue> stream, WindowsSpec windows)
    {
        _stream = stream;
        _windows = windows;
    }

    /// <summary>Counts records per key and window.</summary>
    public KTable<Windowed<TKey>, long> Count(Materialized<Windowed<TKey>, long>? materialized = null) =>
        Aggregate(() => 0L, (_, _, count) => count + 1, materialized);

    /// <summary>Combines values per key and window: the first value as it is, then <c>reducer(aggregate, value)</c>.</summary>
    public KTable<Windowed<TKey>, TValue> Reduce(Func<TValue, TValue, TValue> reducer, Materialized<Windowed<TKey>, TValue>? materialized = null) =>
        AggregateCore<TValue>(materialized, (found, agg, _, v) => found ? reducer(agg, v) : v);

    /// <summary>Folds values per key and window, starting each window from <paramref name="initializer"/>.</summary>
    public KTable<Windowed<TKey>, TAggregate> Aggregate<TAggregate>(Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator,
        Materialized<Windowed<TKey>, TAggregate>? materialized = null) =>
        AggregateCore<TAggregate>(materialized, (found, agg, k, v) => aggregator(k, v, found ? agg : initializer()));

    private KTable<Windowed<TKey>, TAggregate> AggregateCore<TAggregate>(Materialized<Windowed<TKey>, TAggregate>? materialized,
        AggregateStep<TKey, TValue, TAggregate> step)
    {
        var builder = _stream.Builder;
        var keySerde = Serdes.Windowed(_stream.KeySerde);
        var valueSerde = materialized?.ValueSerde ?? Serdes.For<TAggregate>();
        var type = materialized?.StoreType ?? StoreType.InMemory;
        bool logged = materialized?.LoggingEnabled ?? true;
        var inner = _stream.KeySerde;
        string store = builder.AddKeyValueStore(materialized?.StoreName ?? builder.NewName("KSTREAM-AGGREGATE-STATE-STORE"), keySerde, valueSerde, type, logged,
            k => inner.Serialize((TKey)k));
        TopologyNode node;
        long closeDelay;
        if (_windows is TimeWindows time)
        {
            closeDelay = time.GraceMs;
            node = builder.AddProcessor<TKey, TValue, Windowed<TKey>, Change<TAggregate>>(_stream.Node, "KSTREAM-WINDOW-AGGREGATE",
                (ctx, next) => new TimeWindowAggregateProcessor<TKey, TValue, TAggregate>(ctx, TableStages.AsUpserts(next), time, store, step), store);
        }
        else
        {
            var sliding = (SlidingWindows)_windows;
            closeDelay = sliding.GraceMs + 1; // sliding windows include their end
            string records = builder.AddKeyValueStore(store + "-records", keySerde, _stream.ValueSerde, type, logged);
            node = builder.AddProcessor<TKey, TValue, Windowed<TKey>, Change<TAggregate>>(_stream.Node, "KSTREAM-SLIDING-AGGREGATE",
                (ctx, next) => new SlidingWindowAggregateProcessor<TKey, TValue, TAggregate>(ctx, TableStages.AsUpserts(next), sliding, store, records, step),
                store, records);
        }
        return new KTable<Windowed<TKey>, TAggregate>(builder, node, keySerde, valueSerde, store, _stream.SourceTopics, closeDelay);
    }
}

/// <summary>A grouped stream cut into sessions, ready to aggregate per key and session.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class SessionWindowedKStream<TKey, TValue>
{
    private readonly KStream<TKey, TValue> _stream;
    private readonly SessionWindows _windows;

    internal SessionWindowedKStream(KStream<TKey, TValue> stream, SessionWindows windows)
    {
        _stream = stream;
        _windows = windows;
    }

    /// <summary>Counts records per key and session.</summary>
    public KTable<Windowed<TKey>, long> Count(Materialized<Windowed<TKey>, long>? materialized = null) =>
        Aggregate(() => 0L, (_, _, count) => count + 1, (_, a, b) => a + b, materialized);

    /// <summary>
    /// Folds values per key and session; when sessions merge, <paramref name="merger"/> combines their aggregates.
    /// </summary>
    public KTable<Windowed<TKey>, TAggregate> Aggregate<TAggregate>(Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator,
        Func<TKey, TAggregate, TAggregate, TAggregate> merger, Materialized<Windowed<TKey>, TAggregate>? materialized = null)
    {
        var builder = _stream.Builder;
        var keySerde = Serdes.Windowed(_stream.KeySerde);
        var valueSerde = materialized?.ValueSerde ?? Serdes.For<TAggregate>();
        var inner = _stream.KeySerde;
        string store = builder.AddKeyValueStore(materialized?.StoreName ?? builder.NewName("KSTREAM-SESSION-AGGREGATE-STATE-STORE"), keySerde, valueSerde,
            materialized?.StoreType ?? StoreType.InMemory, materialized?.LoggingEnabled ?? true, k => inner.Serialize((TKey)k));
        var node = builder.AddProcessor<TKey, TValue, Windowed<TKey>, Change<TAggregate>>(_stream.Node, "KSTREAM-SESSION-AGGREGATE",
            (ctx, next) => new SessionAggregateProcessor<TKey, TValue, TAggregate>(ctx, TableStages.AsUpserts(next), _windows, store, initializer, aggregator, merger), store);
        return new KTable<Windowed<TKey>, TAggregate>(builder, node, keySerde, valueSerde, store, _stream.SourceTopics,
            _windows.GapMs + _windows.GraceMs + 1);
    }
}

/// <summary>Suppression of intermediate results of windowed tables.</summary>
public static class SuppressExtensions
{
    /// <summary>
    /// Emits one final record per window, when the window closes (stream time reaches its end + grace;
    /// sessions: end + gap + grace), instead of every update. Needs stream time to move on: a window is
    /// emitted only once a later record arrives.
    /// </summary>
    public static KTable<Windowed<TKey>, TValue> SuppressUntilWindowCloses<TKey, TValue>(this KTable<Windowed<TKey>, TValue> table)
    {
        if (table.CloseDelayMs is not { } delay || table.StoreName is null)
            throw new TopologyException("SuppressUntilWindowCloses needs a windowed aggregation's table");
        var builder = table.Builder;
        string aggregateStore = table.StoreName;
        string pending = builder.AddKeyValueStore(aggregateStore + "-suppress", table.KeySerde, Serdes.Long, StoreType.InMemory, logged: true);
        var node = builder.AddProcessor<Windowed<TKey>, Change<TValue>, Windowed<TKey>, Change<TValue>>(table.Node, "KTABLE-SUPPRESS",
            (ctx, next) => new SuppressProcessor<TKey, TValue>(ctx, next, delay, pending, aggregateStore), pending, aggregateStore);
        return new KTable<Windowed<TKey>, TValue>(builder, node, table.KeySerde, table.ValueSerde, aggregateStore, table.SourceTopics, delay);
    }
}
