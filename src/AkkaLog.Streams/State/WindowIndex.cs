namespace AkkaLog.Streams.Internal;

/// <summary>
/// Windowed keys ordered by window end, so closed or expired windows are found without scanning the
/// store. Derived data: rebuilt from the store after a restore.
/// </summary>
internal sealed class WindowIndex<TKey>
{
    private readonly SortedDictionary<long, HashSet<Windowed<TKey>>> _byEnd = [];

    public void Add(Windowed<TKey> key)
    {
        if (!_byEnd.TryGetValue(key.End, out var set)) _byEnd[key.End] = set = [];
        set.Add(key);
    }

    public void Remove(Windowed<TKey> key)
    {
        if (_byEnd.TryGetValue(key.End, out var set) && set.Remove(key) && set.Count == 0) _byEnd.Remove(key.End);
    }

    /// <summary>Removes and returns (in end order) every key whose window ends at or before <paramref name="end"/>.</summary>
    public void TakeEndingUpTo(long end, List<Windowed<TKey>> into)
    {
        while (_byEnd.Count > 0)
        {
            var first = _byEnd.First();
            if (first.Key > end) break;
            into.AddRange(first.Value);
            _byEnd.Remove(first.Key);
        }
    }

    public void Rebuild(IEnumerable<Windowed<TKey>> keys)
    {
        _byEnd.Clear();
        foreach (var key in keys) Add(key);
    }
}
