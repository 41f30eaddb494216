using System.Collections.Concurrent;
using AkkaLog.Client.Internal.Consumer.Group;
using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Consumer;

/// <summary>The application's rebalance handlers, any of them null.</summary>
internal sealed record RebalanceHandlers<TKey, TValue>(
    Action<IConsumer<TKey, TValue>, List<TopicPartition>>? Assigned,
    Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>>? Revoked,
    Action<IConsumer<TKey, TValue>, List<TopicPartitionOffset>>? Lost);

/// <summary>
/// <see cref="IConsumer{TKey, TValue}"/>. Three parts: the <see cref="Fetcher"/> (background: positions
/// and Fetch requests into the <see cref="PartitionTable"/>), the <see cref="ConsumerCoordinator"/>
/// (background: group membership and offsets; absent without group.id), and this class on the
/// consumer thread: decoding, deserializing, rebalance work, commits. Partial files by concern:
/// <c>Consumer.Consume.cs</c> (the record path), <c>Consumer.Offsets.cs</c> (positions and commits),
/// <c>Consumer.Rebalance.cs</c> (work the coordinator posts to this thread, close).
/// </summary>
internal sealed partial class Consumer<TKey, TValue> : IConsumer<TKey, TValue>
{
    private readonly ClientCore _core;
    private readonly ConsumerSettings _settings;
    private readonly PartitionTable _table = new();
    private readonly Fetcher _fetcher;
    private readonly ConsumerCoordinator? _coordinator;
    private readonly IDeserializer<TKey> _keyDeserializer;
    private readonly IDeserializer<TValue> _valueDeserializer;
    private readonly RebalanceHandlers<TKey, TValue> _handlers;
    private readonly ConcurrentQueue<ConsumerWork> _work = new();
    private bool _manual;
    private int _closed;

    public Consumer(ConsumerConfig config, IDeserializer<TKey> keyDeserializer, IDeserializer<TValue> valueDeserializer,
        RebalanceHandlers<TKey, TValue> handlers)
    {
        config.ValidateForBuild();
        _settings = ConsumerSettings.From(config);
        foreach (var name in _settings.Assignors) _ = Assignors.PartitionAssignors.Create(name);
        _keyDeserializer = keyDeserializer;
        _valueDeserializer = valueDeserializer;
        _handlers = handlers;
        _core = new ClientCore(config, config.AllowAutoCreateTopics);
        if (_settings.GroupId is not null) _coordinator = new ConsumerCoordinator(_core, _settings, new Listener(this));
        _fetcher = new Fetcher(_core, _table, _settings, _coordinator is null ? null : _coordinator.FetchCommittedAsync);
        _nextAutoCommitTicks = Environment.TickCount64 + _settings.AutoCommitIntervalMs;
        Name = config.ClientId.Length > 0 ? config.ClientId : $"consumer-{_settings.GroupId ?? "none"}-{Environment.ProcessId}-{GetHashCode():x}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The assignment table, for tests that look at fetching from inside.</summary>
    internal PartitionTable Table => _table;

    /// <inheritdoc />
    public string MemberId => _coordinator?.MemberId ?? "";

    /// <inheritdoc />
    public IReadOnlyList<TopicPartition> Assignment => _table.Assigned();

    /// <inheritdoc />
    public IReadOnlyList<string> Subscription => _coordinator?.Topics ?? [];

    /// <inheritdoc />
    public void Subscribe(string topic) => Subscribe([topic]);

    /// <inheritdoc />
    public void Subscribe(IEnumerable<string> topics)
    {
        ThrowIfClosed();
        var list = topics.Distinct(StringComparer.Ordinal).ToList();
        if (list.Any(string.IsNullOrEmpty)) throw new ArgumentException("a topic name is empty", nameof(topics));
        if (_coordinator is null) throw new InvalidOperationException("Subscribe needs group.id to be set");
        if (_manual) throw new InvalidOperationException("partitions are assigned manually; call Unassign before Subscribe");
        if (list.Count == 0)
        {
            Unsubscribe();
            return;
        }
        _coordinator.Subscribe(list);
    }

    /// <inheritdoc />
    public void Unsubscribe()
    {
        ThrowIfClosed();
        if (_coordinator is null || !_coordinator.IsSubscribed)
        {
            Unassign();
            return;
        }
        RunSync(_ => _coordinator.StopLoopAsync(), "Unsubscribe");
        try
        {
            Revoke(_table.Assigned(), lost: false);
        }
        finally
        {
            RunSync(ct => _coordinator.LeaveAsync(sendLeaveGroup: true, "the consumer unsubscribed", ct), "Unsubscribe");
            DropAbandonedWork();
        }
    }

    /// <inheritdoc />
    public void Assign(IEnumerable<TopicPartition> partitions) => Assign(partitions.Select(tp => new TopicPartitionOffset(tp, Offset.Unset)));

    /// <inheritdoc />
    public void Assign(IEnumerable<TopicPartitionOffset> partitions)
    {
        ThrowIfClosed();
        if (_coordinator is { IsSubscribed: true }) throw new InvalidOperationException("the consumer is subscribed; call Unsubscribe before Assign");
        var wanted = new Dictionary<TopicPartition, Offset>();
        foreach (var p in partitions)
        {
            ArgumentException.ThrowIfNullOrEmpty(p.Topic);
            if (p.Partition.Value < 0) throw new ArgumentException($"{p}: a partition number is needed", nameof(partitions));
            wanted[p.TopicPartition] = p.Offset;
        }
        foreach (var tp in _table.Assigned())
        {
            if (!wanted.ContainsKey(tp)) _table.Remove(tp);
        }
        foreach (var (tp, offset) in wanted)
        {
            _core.Metadata.Track(tp.Topic);
            // Unset keeps a partition that stays assigned where it is (as Java's assign does); otherwise start as told.
            if (offset == Offset.Unset && _table.TryGet(tp, out _)) continue;
            var (source, position) = SourceOf(offset);
            _table.Add(tp, source, position);
        }
        _manual = wanted.Count > 0;
    }

    /// <inheritdoc />
    public void Unassign()
    {
        ThrowIfClosed();
        if (_coordinator is { IsSubscribed: true }) throw new InvalidOperationException("the consumer is subscribed; call Unsubscribe instead");
        foreach (var tp in _table.Assigned()) _table.Remove(tp);
        _manual = false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Close();
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException)
        {
            System.Diagnostics.Trace.TraceWarning($"akkalog consumer {Name}: close failed: {e.Message}");
        }
    }

    /// <summary>How an offset given to Assign or Seek becomes a starting point.</summary>
    private static (PositionSource Source, long Position) SourceOf(Offset offset) => offset.Value switch
    {
        >= 0 => (PositionSource.Known, offset.Value),
        -2 => (PositionSource.Earliest, -1),
        -1 => (PositionSource.Latest, -1),
        -1000 or -1001 => (PositionSource.Committed, -1),
        _ => throw new ArgumentException($"offset {offset.Value} is neither an offset nor Beginning, End, Stored or Unset", nameof(offset)),
    };

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _closed) != 0, this);

    /// <summary>Runs async work to completion on the calling thread within default.api.timeout.ms.</summary>
    private void RunSync(Func<CancellationToken, Task> work, string operation, TimeSpan? timeout = null) =>
        RunSync<bool>(async ct =>
        {
            await work(ct).ConfigureAwait(false);
            return true;
        }, operation, timeout);

    private T RunSync<T>(Func<CancellationToken, Task<T>> work, string operation, TimeSpan? timeout = null)
    {
        var limit = timeout ?? _settings.DefaultApiTimeout;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            return work(cts.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new KafkaException(ErrorCode.RequestTimedOut, $"{operation} did not complete within {limit.TotalMilliseconds:0} ms");
        }
    }

    private KafkaException NoGroup(string operation) =>
        new(ErrorCode.InvalidGroupId, $"{operation} needs a consumer group: set group.id");
}
