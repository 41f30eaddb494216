namespace AkkaLog.Streams.Internal;

/// <summary>
/// Sliding windows (see <see cref="SlidingWindows"/>): keeps the key's raw records for difference + grace
/// in a second store (key: the record key with its timestamp and source offset), so the window that a new
/// record defines can be folded from the records inside it; windows of later records that contain the new
/// record are updated in place.
/// </summary>
internal sealed class SlidingWindowAggregateProcessor<TKey, TValue, TAggregate> : IProcessor<TKey, TValue>
{
    private readonly TaskContext _context;
    private readonly Forwarder<Windowed<TKey>, TAggregate> _next;
    private readonly SlidingWindows _windows;
    private readonly AggregateStep<TKey, TValue, TAggregate> _step;
    private readonly KeyValueStore<Windowed<TKey>, TAggregate> _store;
    private readonly KeyValueStore<Windowed<TKey>, TValue> _records;
    private readonly Dictionary<TKey, List<Windowed<TKey>>> _recordsByKey = [];
    private readonly Dictionary<TKey, List<Windowed<TKey>>> _windowsByKey = [];

    public SlidingWindowAggregateProcessor(TaskContext context, Forwarder<Windowed<TKey>, TAggregate> next, SlidingWindows windows,
        string store, string recordStore, AggregateStep<TKey, TValue, TAggregate> step)
    {
        _context = context;
        _next = next;
        _windows = windows;
        _step = step;
        _store = context.Store<KeyValueStore<Windowed<TKey>, TAggregate>>(store);
        _records = context.Store<KeyValueStore<Windowed<TKey>, TValue>>(recordStore);
        _store.Restored += () => Rebuild(_windowsByKey, _store.All().Select(kv => kv.Key));
        _records.Restored += () => Rebuild(_recordsByKey, _records.All().Select(kv => kv.Key));
    }

    private static void Rebuild(Dictionary<TKey, List<Windowed<TKey>>> index, IEnumerable<Windowed<TKey>> keys)
    {
        index.Clear();
        foreach (var key in keys) Add(index, key);
    }

    private static void Add(Dictionary<TKey, List<Windowed<TKey>>> index, Windowed<TKey> key)
    {
        if (!index.TryGetValue(key.Key, out var list)) index[key.Key] = list = [];
        list.Add(key);
    }

    public void Process(TKey key, TValue value, long timestamp)
    {
        if (key is null) return;
        long d = _windows.SizeMs;
        long closeTime = _context.StreamTime - _windows.GraceMs; // windows ending before this are closed
        if (timestamp + d < closeTime)
        {
            _context.Metrics.AddDroppedLate();
            return;
        }
        var recordKey = new Windowed<TKey>(key, timestamp, _context.RecordOffset);
        _records.Put(recordKey, value);
        Add(_recordsByKey, recordKey);

        bool ownWindowExists = false;
        if (_windowsByKey.TryGetValue(key, out var windows))
        {
            foreach (var w in windows)
            {
                if (w.End < timestamp || w.Start > timestamp || w.End < closeTime) continue;
                var agg = _step(true, _store.Get(w)!, key, value);
                _store.Put(w, agg);
                _next.Forward(w, agg, timestamp);
                ownWindowExists |= w.End == timestamp;
            }
        }
        if (!ownWindowExists && timestamp >= closeTime)
        {
            var own = new Windowed<TKey>(key, timestamp - d, timestamp);
            TAggregate agg = default!;
            bool found = false;
            foreach (var r in _recordsByKey[key].Where(r => r.Start >= own.Start && r.Start <= own.End).OrderBy(r => r.Start).ThenBy(r => r.End))
            {
                agg = _step(found, agg, key, _records.Get(r)!);
                found = true;
            }
            _store.Put(own, agg);
            Add(_windowsByKey, own);
            _next.Forward(own, agg, timestamp);
        }
        Expire(key);
    }

    private void Expire(TKey key)
    {
        long recordHorizon = _context.StreamTime - _windows.SizeMs - _windows.GraceMs;
        if (_recordsByKey.TryGetValue(key, out var records))
            records.RemoveAll(r => { bool old = r.Start < recordHorizon; if (old) _records.Delete(r); return old; });
        long windowHorizon = _context.StreamTime - _windows.RetentionMs;
        if (_windowsByKey.TryGetValue(key, out var windows))
            windows.RemoveAll(w => { bool old = w.End < windowHorizon; if (old) _store.Delete(w); return old; });
    }
}
