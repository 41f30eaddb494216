namespace AkkaLog.Streams.Internal;

/// <summary>Everything a store needs to open for one task.</summary>
internal sealed record StoreContext(string Name, string? ChangelogTopic, int Partition, string? Directory, TaskContext Task);

/// <summary>The template of a state store in the topology; each task opens its own instance.</summary>
internal sealed class StoreBuilder(string name, bool persistent, bool logged, Func<StoreContext, IStateStore> open)
{
    /// <summary>For queryable stores: the store's key and value types and how a key (the inner key, for windows) is partitioned.</summary>
    public Type KeyType { get; init; } = typeof(object);
    public Type ValueType { get; init; } = typeof(object);
    public Func<object, byte[]?>? PartitionKeyBytes { get; init; }

    public string Name { get; } = name;
    public bool Persistent { get; } = persistent;
    public bool Logged { get; } = logged;

    public string ChangelogTopic(string applicationId) => $"{applicationId}-{Name}-changelog";

    public IStateStore Open(StoreContext context) => open(context);
}
