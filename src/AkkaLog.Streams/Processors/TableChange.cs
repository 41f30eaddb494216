namespace AkkaLog.Streams.Internal;

/// <summary>
/// What a table stage forwards for one key: the new value or a deletion, and the value it replaced when
/// the stage knows it (stores do; windowed aggregations do not say). A filter needs the old value to
/// tell "stopped passing" (forward a tombstone) from "never passed" (forward nothing).
/// </summary>
internal readonly struct Change<T>
{
    private Change(bool hasNew, T newValue, bool oldKnown, bool hasOld, T oldValue)
    {
        HasNew = hasNew;
        NewValue = newValue;
        OldKnown = oldKnown;
        HasOld = hasOld;
        OldValue = oldValue;
    }

    /// <summary>False: the key was deleted (a tombstone downstream).</summary>
    public bool HasNew { get; }
    public T NewValue { get; }

    /// <summary>False: the stage does not know what the key held before (treat it as "maybe").</summary>
    public bool OldKnown { get; }
    public bool HasOld { get; }
    public T OldValue { get; }

    /// <summary>A new value; what it replaced is unknown.</summary>
    public static Change<T> Upsert(T value) => new(true, value, false, false, default!);

    /// <summary>A new value (or deletion when <paramref name="hasNew"/> is false) replacing a known old one (or none).</summary>
    public static Change<T> Known(bool hasNew, T newValue, bool hasOld, T oldValue) => Of(hasNew, newValue, true, hasOld, oldValue);

    /// <summary>The same change with a new value and old value state, e.g. after a filter.</summary>
    public static Change<T> Of(bool hasNew, T newValue, bool oldKnown, bool hasOld, T oldValue) =>
        new(hasNew, hasNew ? newValue : default!, oldKnown, oldKnown && hasOld, oldKnown && hasOld ? oldValue : default!);

    /// <summary>Both values mapped (only those present), the key passed along so callers need no closure per record.</summary>
    public Change<TOut> Map<TKey, TOut>(TKey key, Func<TKey, T, TOut> mapper) =>
        Change<TOut>.Of(HasNew, HasNew ? mapper(key, NewValue) : default!, OldKnown, HasOld, HasOld ? mapper(key, OldValue) : default!);
}

/// <summary>The table stages shared by sources, <c>ToTable</c>, materialization and the stages after windowed aggregations.</summary>
internal static class TableStages
{
    /// <summary>
    /// Applies plain records (a null value deletes) to a store and forwards each change with the old value read
    /// from the store. Deleting a key the store does not hold forwards nothing.
    /// </summary>
    public static IProcessor<TKey, TValue> Upsert<TKey, TValue>(KeyValueStore<TKey, TValue> store, Forwarder<TKey, Change<TValue>> next) =>
        new LambdaProcessor<TKey, TValue>((k, v, ts) => Apply(store, next, k, v is not null, v, ts));

    /// <summary>Materializes a change stream: applies each change to the store and forwards it with the old value the store held.</summary>
    public static IProcessor<TKey, Change<TValue>> Materialize<TKey, TValue>(KeyValueStore<TKey, TValue> store, Forwarder<TKey, Change<TValue>> next) =>
        new LambdaProcessor<TKey, Change<TValue>>((k, c, ts) => Apply(store, next, k, c.HasNew, c.NewValue, ts));

    /// <summary>Puts or deletes one key and forwards the change with the store's old value; a deletion of an absent key forwards nothing.</summary>
    private static void Apply<TKey, TValue>(KeyValueStore<TKey, TValue> store, Forwarder<TKey, Change<TValue>> next, TKey key, bool hasNew, TValue value, long ts)
    {
        if (key is null) return;
        bool had = store.TryGet(key, out var old);
        if (hasNew) store.Put(key, value);
        else if (had) store.Delete(key);
        else return;
        next.Forward(key, Change<TValue>.Known(hasNew, value, had, old), ts);
    }

    /// <summary>A forwarder for processors that emit plain aggregates (windowed ones): each becomes an upsert with unknown old value.</summary>
    public static Forwarder<TKey, TValue> AsUpserts<TKey, TValue>(Forwarder<TKey, Change<TValue>> next) =>
        new([new LambdaProcessor<TKey, TValue>((k, v, ts) => next.Forward(k, Change<TValue>.Upsert(v), ts))]);
}
