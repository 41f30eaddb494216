namespace AkkaLog.Streams.Internal;

/// <summary>One aggregation step: the aggregate so far (<paramref name="found"/> false: none yet) with one more value.</summary>
internal delegate TAggregate AggregateStep<in TKey, in TValue, TAggregate>(bool found, TAggregate aggregate, TKey key, TValue value);

/// <summary>
/// Aggregates records into tumbling or hopping windows of the record's event time. A window accepts
/// records until stream time reaches its end + grace; a record whose every window has closed is dropped
/// and counted. Windows are removed from the store once past retention.
/// </summary>
internal sealed class TimeWindowAggregateProcessor<TKey, TValue, TAggregate> : IProcessor<TKey, TValue>
{
    private readonly TaskContext _context;
    private readonly Forwarder<Windowed<TKey>, TAggregate> _next;
    private readonly TimeWindows _windows;
    private readonly AggregateStep<TKey, TValue, TAggregate> _step;
    private readonly KeyValueStore<Windowed<TKey>, TAggregate> _store;
    private readonly WindowIndex<TKey> _index = new();
    private readonly List<(long Start, long End)> _scratch = [];
    private readonly List<Windowed<TKey>> _expired = [];

    public TimeWindowAggregateProcessor(TaskContext context, Forwarder<Windowed<TKey>, TAggregate> next, TimeWindows windows, string store,
        AggregateStep<TKey, TValue, TAggregate> step)
    {
        _context = context;
        _next = next;
        _windows = windows;
        _step = step;
        _store = context.Store<KeyValueStore<Windowed<TKey>, TAggregate>>(store);
        _store.Restored += () => _index.Rebuild(_store.All().Select(kv => kv.Key));
    }

    public void Process(TKey key, TValue value, long timestamp)
    {
        if (key is null) return;
        long closeTime = _context.StreamTime - _windows.GraceMs;
        _scratch.Clear();
        _windows.WindowsFor(timestamp, _scratch);
        bool added = false;
        foreach (var (start, end) in _scratch)
        {
            if (end <= closeTime) continue;
            var windowed = new Windowed<TKey>(key, start, end);
            bool found = _store.TryGet(windowed, out var agg);
            agg = _step(found, agg, key, value);
            _store.Put(windowed, agg);
            if (!found) _index.Add(windowed);
            _next.Forward(windowed, agg, timestamp);
            added = true;
        }
        if (!added) _context.Metrics.AddDroppedLate();
        Expire();
    }

    private void Expire()
    {
        _expired.Clear();
        _index.TakeEndingUpTo(_context.StreamTime - _windows.RetentionMs - 1, _expired);
        foreach (var key in _expired) _store.Delete(key);
    }
}
