namespace AkkaLog.Streams.Internal;

/// <summary>
/// Session windows: a record at t joins every session of its key that starts or ends within the
/// inactivity gap of t; those sessions and the record merge into one session [min start, max end] whose
/// aggregate is the merger of theirs plus the record. Merged-away sessions are deleted from the store. A
/// record whose merged session would end before stream time - grace is late: dropped and counted
/// (so a session is final once stream time passes its end + gap + grace).
/// </summary>
internal sealed class SessionAggregateProcessor<TKey, TValue, TAggregate> : IProcessor<TKey, TValue>
{
    private readonly TaskContext _context;
    private readonly Forwarder<Windowed<TKey>, TAggregate> _next;
    private readonly SessionWindows _windows;
    private readonly Func<TAggregate> _initializer;
    private readonly Func<TKey, TValue, TAggregate, TAggregate> _aggregator;
    private readonly Func<TKey, TAggregate, TAggregate, TAggregate> _merger;
    private readonly KeyValueStore<Windowed<TKey>, TAggregate> _store;
    private readonly Dictionary<TKey, List<Windowed<TKey>>> _sessionsByKey = [];
    private readonly List<Windowed<TKey>> _overlapping = [];

    public SessionAggregateProcessor(TaskContext context, Forwarder<Windowed<TKey>, TAggregate> next, SessionWindows windows, string store,
        Func<TAggregate> initializer, Func<TKey, TValue, TAggregate, TAggregate> aggregator, Func<TKey, TAggregate, TAggregate, TAggregate> merger)
    {
        _context = context;
        _next = next;
        _windows = windows;
        _initializer = initializer;
        _aggregator = aggregator;
        _merger = merger;
        _store = context.Store<KeyValueStore<Windowed<TKey>, TAggregate>>(store);
        _store.Restored += () =>
        {
            _sessionsByKey.Clear();
            foreach (var kv in _store.All()) Sessions(kv.Key.Key).Add(kv.Key);
        };
    }

    private List<Windowed<TKey>> Sessions(TKey key)
    {
        if (!_sessionsByKey.TryGetValue(key, out var list)) _sessionsByKey[key] = list = [];
        return list;
    }

    public void Process(TKey key, TValue value, long timestamp)
    {
        if (key is null) return;
        long gap = _windows.GapMs;
        var sessions = Sessions(key);
        _overlapping.Clear();
        long start = timestamp, end = timestamp;
        foreach (var s in sessions)
        {
            if (s.End + gap < timestamp || s.Start - gap > timestamp) continue;
            _overlapping.Add(s);
            start = Math.Min(start, s.Start);
            end = Math.Max(end, s.End);
        }
        if (end < _context.StreamTime - _windows.GraceMs)
        {
            _context.Metrics.AddDroppedLate();
            return;
        }
        var agg = _aggregator(key, value, _initializer());
        foreach (var s in _overlapping)
        {
            agg = _merger(key, agg, _store.Get(s)!);
            _store.Delete(s);
            sessions.Remove(s);
        }
        var merged = new Windowed<TKey>(key, start, end);
        _store.Put(merged, agg);
        sessions.Add(merged);
        _next.Forward(merged, agg, timestamp);
        Expire(sessions);
    }

    private void Expire(List<Windowed<TKey>> sessions)
    {
        long horizon = _context.StreamTime - _windows.GapMs - _windows.GraceMs - (long)TimeSpan.FromDays(1).TotalMilliseconds;
        sessions.RemoveAll(s => { bool old = s.End < horizon; if (old) _store.Delete(s); return old; });
    }
}
