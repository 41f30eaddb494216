namespace AkkaLog.Streams;

/// <summary>Where a store keeps its data besides the changelog.</summary>
public enum StoreType
{
    /// <summary>Memory only: restored from the changelog in full whenever its task starts.</summary>
    InMemory,
    /// <summary>Memory plus a local file (see README): restored from the file and the changelog's tail after a checkpoint.</summary>
    Persistent,
}

/// <summary>How a table or aggregation is stored: store name (for queries and the changelog's name), serdes, type.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class Materialized<TKey, TValue>
{
    /// <summary>The store name; generated when null (then the changelog name changes when the topology does).</summary>
    public string? StoreName { get; init; }

    /// <summary>Key serde (default: the stream's, or the built-in one for the type).</summary>
    public Serde<TKey>? KeySerde { get; init; }

    /// <summary>Value serde (default: the built-in one for the type).</summary>
    public Serde<TValue>? ValueSerde { get; init; }

    /// <summary>In memory (default) or persistent.</summary>
    public StoreType StoreType { get; init; } = StoreType.InMemory;

    /// <summary>False: no changelog (the store is lost when its task moves or restarts).</summary>
    public bool LoggingEnabled { get; init; } = true;

    /// <summary>A store called <paramref name="storeName"/>.</summary>
    public static Materialized<TKey, TValue> As(string storeName, StoreType type = StoreType.InMemory) => new() { StoreName = storeName, StoreType = type };
}

/// <summary>How a stream is grouped: the repartition topic's name (when the key changed) and serdes.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class Grouped<TKey, TValue>
{
    /// <summary>Base name of the repartition topic (<c>&lt;application.id&gt;-&lt;name&gt;-repartition</c>); generated when null.</summary>
    public string? Name { get; init; }

    /// <summary>Key serde for the repartition topic.</summary>
    public Serde<TKey>? KeySerde { get; init; }

    /// <summary>Value serde for the repartition topic.</summary>
    public Serde<TValue>? ValueSerde { get; init; }

    /// <summary>Repartition topic's partition count (default: as many as the input).</summary>
    public int? Partitions { get; init; }

    /// <summary>Grouping named <paramref name="name"/>.</summary>
    public static Grouped<TKey, TValue> As(string name) => new() { Name = name };
}
