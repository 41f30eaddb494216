namespace AkkaLog.Streams;

/// <summary>
/// Read access to a key-value store of a running application (interactive queries). Reads may come
/// from any thread; they see the store as the processing thread last wrote it.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public interface IReadOnlyKeyValueStore<TKey, TValue>
{
    /// <summary>The value for <paramref name="key"/>, or default when absent.</summary>
    TValue? Get(TKey key);

    /// <summary>True and the value when <paramref name="key"/> is present.</summary>
    bool TryGet(TKey key, out TValue value);

    /// <summary>Every entry (a moving snapshot).</summary>
    IEnumerable<KeyValuePair<TKey, TValue>> All();
}
