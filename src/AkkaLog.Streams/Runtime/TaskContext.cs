using AkkaLog.Client;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// What a task's processors share: the record being processed, the task's stream time (the largest
/// event time seen), its stores, the collector for outputs, and pending async sink work. Used by the
/// task's thread only.
/// </summary>
internal sealed class TaskContext(TaskId id, StreamsConfig config, StreamsMetrics metrics, RecordCollector collector, string applicationId)
{
    private readonly Dictionary<string, IStateStore> _stores = new(StringComparer.Ordinal);
    private readonly List<Action> _streamTimeListeners = [];

    public TaskId Id { get; } = id;
    public StreamsConfig Config { get; } = config;
    public StreamsMetrics Metrics { get; } = metrics;
    public RecordCollector Collector { get; } = collector;
    public string ApplicationId { get; } = applicationId;

    /// <summary>The largest event time seen by this task (-1 before the first record).</summary>
    public long StreamTime { get; private set; } = -1;

    /// <summary>Cancelled when the application stops (handed to async sinks).</summary>
    public CancellationToken Stopping { get; init; }

    public string RecordTopic { get; set; } = "";
    public int RecordPartition { get; set; }
    public long RecordOffset { get; set; }

    /// <summary>Async sink work started by the current record; the loop awaits it before the next (back-pressure).</summary>
    public List<Task> PendingAsync { get; } = [];

    public IReadOnlyDictionary<string, IStateStore> Stores => _stores;

    /// <summary>Objects processors of this task share by name (e.g. a join side's index used by both sides).</summary>
    public Dictionary<string, object> Shared { get; } = new(StringComparer.Ordinal);

    public void AddStore(IStateStore store) => _stores[store.Name] = store;

    public T Store<T>(string name) where T : class =>
        _stores.TryGetValue(name, out var store) ? (T)store : throw new InvalidOperationException($"store '{name}' is not connected to task {Id}");

    public void OnStreamTimeAdvanced(Action listener) => _streamTimeListeners.Add(listener);

    public void ObserveTimestamp(long timestamp)
    {
        if (timestamp <= StreamTime) return;
        StreamTime = timestamp;
        foreach (var listener in _streamTimeListeners) listener();
    }

    public void Log(string line) => Config.Log?.Invoke($"[{ApplicationId} task {Id}] {line}");
}
