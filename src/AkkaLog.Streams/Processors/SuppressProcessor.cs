namespace AkkaLog.Streams.Internal;

/// <summary>
/// Suppression until a window closes: remembers which windows changed (in a store with a changelog, so a
/// restart still emits them) and, once stream time reaches a window's end + close delay, forwards the
/// window's final value read from the aggregation's store — one record per window. A window that no
/// longer exists there (a session merged into another) is not emitted.
/// </summary>
internal sealed class SuppressProcessor<TKey, TValue> : IProcessor<Windowed<TKey>, Change<TValue>>
{
    private readonly TaskContext _context;
    private readonly Forwarder<Windowed<TKey>, Change<TValue>> _next;
    private readonly long _closeDelay;
    private readonly KeyValueStore<Windowed<TKey>, long> _pending;
    private readonly KeyValueStore<Windowed<TKey>, TValue> _aggregates;
    private readonly WindowIndex<TKey> _index = new();
    private readonly List<Windowed<TKey>> _closed = [];

    public SuppressProcessor(TaskContext context, Forwarder<Windowed<TKey>, Change<TValue>> next, long closeDelay, string pendingStore, string aggregateStore)
    {
        _context = context;
        _next = next;
        _closeDelay = closeDelay;
        _pending = context.Store<KeyValueStore<Windowed<TKey>, long>>(pendingStore);
        _aggregates = context.Store<KeyValueStore<Windowed<TKey>, TValue>>(aggregateStore);
        _pending.Restored += () => _index.Rebuild(_pending.All().Select(kv => kv.Key));
        context.OnStreamTimeAdvanced(EmitClosed);
    }

    public void Process(Windowed<TKey> key, Change<TValue> value, long timestamp)
    {
        if (key.End + _closeDelay <= _context.StreamTime)
        {
            // Already closed (a record at the closing moment): emit at once.
            _next.Forward(key, value, timestamp);
            return;
        }
        if (!_pending.TryGet(key, out _)) _index.Add(key);
        _pending.Put(key, timestamp);
    }

    private void EmitClosed()
    {
        _closed.Clear();
        _index.TakeEndingUpTo(_context.StreamTime - _closeDelay, _closed);
        foreach (var key in _closed)
        {
            _pending.TryGet(key, out long timestamp);
            _pending.Delete(key);
            if (_aggregates.TryGet(key, out var value)) _next.Forward(key, Change<TValue>.Upsert(value), timestamp);
        }
    }
}
