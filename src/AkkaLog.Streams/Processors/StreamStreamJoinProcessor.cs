namespace AkkaLog.Streams.Internal;

/// <summary>
/// One side of a windowed stream-stream join. Each side keeps its records (key, timestamp, source offset)
/// in its own store for the join window + grace; a new record is stored, then joined with every record of
/// the other side's store with the same key whose timestamp lies in the window. Left and outer joins emit
/// an unmatched record at once with default for the missing side (eagerly: a later match is emitted as
/// well). A record older than stream time - window - grace is late: dropped and counted.
/// </summary>
internal sealed class StreamStreamJoinProcessor<TKey, TThis, TOther, TResult> : IProcessor<TKey, TThis>
{
    private readonly TaskContext _context;
    private readonly Forwarder<TKey, TResult> _next;
    private readonly Func<TThis, TOther, TResult> _joiner;
    private readonly long _before, _after, _grace;
    private readonly bool _emitUnmatched;
    private readonly KeyValueStore<Windowed<TKey>, TThis> _own;
    private readonly KeyValueStore<Windowed<TKey>, TOther> _other;
    private readonly JoinSideIndex<TKey> _ownIndex;
    private readonly JoinSideIndex<TKey> _otherIndex;

    // before/after: how much earlier/later than this side's record the other side's may be.
    public StreamStreamJoinProcessor(TaskContext context, Forwarder<TKey, TResult> next, Func<TThis, TOther, TResult> joiner,
        long before, long after, long grace, bool emitUnmatched, string ownStore, string otherStore)
    {
        _context = context;
        _next = next;
        _joiner = joiner;
        _before = before;
        _after = after;
        _grace = grace;
        _emitUnmatched = emitUnmatched;
        _own = context.Store<KeyValueStore<Windowed<TKey>, TThis>>(ownStore);
        _other = context.Store<KeyValueStore<Windowed<TKey>, TOther>>(otherStore);
        _ownIndex = JoinSideIndex<TKey>.For(context, ownStore, _own);
        _otherIndex = JoinSideIndex<TKey>.For(context, otherStore, _other);
    }

    public void Process(TKey key, TThis value, long timestamp)
    {
        if (key is null) return;
        long horizon = _context.StreamTime - Math.Max(_before, _after) - _grace;
        if (timestamp < horizon)
        {
            _context.Metrics.AddDroppedLate();
            return;
        }
        var stored = new Windowed<TKey>(key, timestamp, _context.RecordOffset);
        _own.Put(stored, value);
        _ownIndex.Add(stored);
        bool matched = false;
        foreach (var other in _otherIndex.Of(key))
        {
            if (other.Start < timestamp - _before || other.Start > timestamp + _after) continue;
            _next.Forward(key, _joiner(value, _other.Get(other)!), Math.Max(timestamp, other.Start));
            matched = true;
        }
        if (!matched && _emitUnmatched) _next.Forward(key, _joiner(value, default!), timestamp);
        // Keep records as long as a record that is not late yet may still need them as partners.
        long retention = _context.StreamTime - _before - _after - _grace;
        _ownIndex.Expire(retention, k => _own.Delete(k));
        _otherIndex.Expire(retention, k => _other.Delete(k));
    }
}

/// <summary>
/// A join side's records by key and by time, shared by both sides' processors of one task (kept in the
/// task context under the store's name) and rebuilt from the store after a restore.
/// </summary>
internal sealed class JoinSideIndex<TKey>
{
    private readonly Dictionary<TKey, List<Windowed<TKey>>> _byKey = [];
    private readonly SortedDictionary<long, List<Windowed<TKey>>> _byTime = [];

    public static JoinSideIndex<TKey> For<TValue>(TaskContext context, string store, KeyValueStore<Windowed<TKey>, TValue> kv)
    {
        string name = "join-index:" + store;
        if (context.Shared.TryGetValue(name, out var existing)) return (JoinSideIndex<TKey>)existing;
        var index = new JoinSideIndex<TKey>();
        context.Shared[name] = index;
        kv.Restored += () =>
        {
            index._byKey.Clear();
            index._byTime.Clear();
            foreach (var entry in kv.All()) index.Add(entry.Key);
        };
        return index;
    }

    public void Add(Windowed<TKey> key)
    {
        if (!_byKey.TryGetValue(key.Key, out var list)) _byKey[key.Key] = list = [];
        list.Add(key);
        if (!_byTime.TryGetValue(key.Start, out var atTime)) _byTime[key.Start] = atTime = [];
        atTime.Add(key);
    }

    public IReadOnlyList<Windowed<TKey>> Of(TKey key) => _byKey.TryGetValue(key, out var list) ? list : [];

    /// <summary>Removes entries older than <paramref name="horizon"/>, telling <paramref name="delete"/> about each.</summary>
    public void Expire(long horizon, Action<Windowed<TKey>> delete)
    {
        while (_byTime.Count > 0)
        {
            var first = _byTime.First();
            if (first.Key >= horizon) break;
            foreach (var key in first.Value)
            {
                delete(key);
                if (_byKey.TryGetValue(key.Key, out var list) && list.Remove(key) && list.Count == 0) _byKey.Remove(key.Key);
            }
            _byTime.Remove(first.Key);
        }
    }
}
