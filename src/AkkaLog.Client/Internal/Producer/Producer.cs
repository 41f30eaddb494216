using System.Buffers;
using AkkaLog.Client.Internal.Metadata;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// <see cref="IProducer{TKey, TValue}"/>: serializes on the caller's thread into thread-local reusable
/// buffers, picks the partition, reserves buffer.memory and appends into the accumulator; the
/// <see cref="Sender"/> does the rest. The common path (metadata known, memory free) runs
/// synchronously and allocates only the record's completion and result. Otherwise the record joins
/// its topic's gate (<c>Producer.Gate.cs</c>), a FIFO drained by one task, because records must reach
/// the accumulator in call order: awaiting metadata per call would let thread-pool scheduling
/// reorder them (it did: the first batch of a new topic came out reversed).
/// </summary>
internal sealed partial class Producer<TKey, TValue> : IProducer<TKey, TValue>
{
    // Record overhead beyond key, value and headers: length, attributes, timestamp and offset deltas,
    // key/value lengths and header count as varints (Kafka's DefaultRecord bounds it similarly).
    private const int RecordOverhead = 24;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_key;
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_value;

    private readonly ClientCore _core;
    private readonly RecordAccumulator _accumulator;
    private readonly Sender _sender;
    private readonly MemoryBudget _memory;
    private readonly DefaultPartitioner _partitioner;
    private readonly ResolvedSerializer<TKey> _keySerializer;
    private readonly ResolvedSerializer<TValue> _valueSerializer;
    private readonly TimeSpan _maxBlock;
    private readonly int _maxRequestSize;
    private readonly DeliveryReports<TKey, TValue> _reports;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TopicGate> _gates = new(StringComparer.Ordinal);
    private TopicGate? _lastGate;
    private int _disposed;

    public Producer(ProducerConfig config, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer)
    {
        _core = new ClientCore(config, config.AllowAutoCreateTopics);
        _keySerializer = new ResolvedSerializer<TKey>(keySerializer);
        _valueSerializer = new ResolvedSerializer<TValue>(valueSerializer);
        _maxBlock = TimeSpan.FromMilliseconds(config.MaxBlockMs);
        _maxRequestSize = config.MaxRequestSize;
        _memory = new MemoryBudget(config.BufferMemory);
        _partitioner = new DefaultPartitioner(config.Partitioner, config.BatchSize);
        var idempotence = config.EnableIdempotence ? new Idempotence(config.MaxInFlight) : null;
        _accumulator = new RecordAccumulator(config.Codec, config.BatchSize, config.LingerMs, config.DeliveryTimeoutMs, idempotence,
            BatchBufferPool.Create(config.BatchSize, config.BufferMemory), oneInFlightPerPartition: config.MaxInFlight == 1);
        _sender = new Sender(_accumulator, _core.Metadata, _core.Pool, _memory, new SenderSettings(
            (short)config.Acks, config.RequestTimeoutMs, config.MaxInFlight, config.MaxRequestSize, config.Retries,
            TimeSpan.FromMilliseconds(config.RetryBackoffMs), TimeSpan.FromMilliseconds(Math.Max(config.RetryBackoffMs, config.RetryBackoffMaxMs)),
            config.DeliveryTimeoutMs, idempotence));
        Name = config.ClientId.Length > 0 ? config.ClientId : $"producer-{Environment.ProcessId}-{GetHashCode():x}";
        _reports = new DeliveryReports<TKey, TValue>(Name);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default) =>
        ProduceAsync(new TopicPartition(topic, Partition.Any), message, cancellationToken);

    /// <inheritdoc />
    public Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(topicPartition.Topic);
        string topic = topicPartition.Topic;
        var completion = new DeliveryCompletion<TKey, TValue>(topic, message);
        if (!TrySerialize(topic, message, out var record, out var key, out var value, out var error))
            return Task.FromException<DeliveryResult<TKey, TValue>>(error);

        var gate = GateFor(topic);
        using (gate.Sync.Hold())
        {
            if (TryAppendNow(gate, topicPartition.Partition, record, key, value, completion, null, null, out var failure))
            {
                if (failure is not null) completion.Failed(-1, failure);
                return completion.Task;
            }
            Wait(gate, new Waiting(topicPartition.Partition, record, Copy(key), Copy(value), message, completion, null, null,
                Environment.TickCount64 + (long)_maxBlock.TotalMilliseconds, cancellationToken));
        }
        return completion.Task;
    }

    /// <inheritdoc />
    public void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null) =>
        Produce(new TopicPartition(topic, Partition.Any), message, deliveryHandler);

    /// <inheritdoc />
    public void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(topicPartition.Topic);
        string topic = topicPartition.Topic;
        if (!TrySerialize(topic, message, out var record, out var key, out var value, out var error)) throw error;

        var gate = GateFor(topic);
        TaskCompletionSource? appended = null;
        TopicInfo? known;
        using (gate.Sync.Hold())
        {
            if (TryAppendNow(gate, topicPartition.Partition, record, key, value, _reports, message, deliveryHandler, out var failure))
            {
                if (failure is null) return;
                throw DeliveryCompletion<TKey, TValue>.Failure(topic, -1, message, failure);
            }
            known = gate.Waiting.Count == 0 ? KnownTopic(gate) : null;
            if (known is null)
            {
                // Records wait ahead, or the topic is unknown: queue behind them and block until this one is appended.
                appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Wait(gate, new Waiting(topicPartition.Partition, record, Copy(key), Copy(value), message, null, deliveryHandler, appended,
                    Environment.TickCount64 + (long)_maxBlock.TotalMilliseconds, CancellationToken.None));
            }
        }
        if (known is not null)
        {
            // Only buffer.memory is short: block this thread for it, as Java's send() does, then append.
            AppendWhenMemoryFrees(known, topicPartition.Partition, record, key, value, message, deliveryHandler, gate);
            return;
        }
        appended!.Task.GetAwaiter().GetResult();
    }

    /// <summary>Blocks for buffer.memory (up to max.block.ms), then appends; throws the record's ProduceException on failure.</summary>
    private void AppendWhenMemoryFrees(TopicInfo topic, Partition partition, in Serialized record, ReadOnlyMemory<byte> key,
        ReadOnlyMemory<byte> value, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? handler, TopicGate gate)
    {
        bool reserved = false;
        try
        {
            _memory.Reserve(record.Size, _maxBlock);
            reserved = true;
            using (gate.Sync.Hold()) Append(gate, topic, partition, record, key.Span, value.Span, _reports, message, handler);
        }
        catch (Exception e)
        {
            if (reserved) _memory.Release(record.Size);
            else if (record.Headers is not null) ArrayPool<RecordHeader>.Shared.Return(record.Headers, clearArray: true);
            throw DeliveryCompletion<TKey, TValue>.Failure(topic.Name, -1, message, e);
        }
    }

    /// <summary>The topic's metadata if it is known and usable, else null.</summary>
    private TopicInfo? KnownTopic(TopicGate gate)
    {
        // The answer holds as long as the metadata snapshot does: look the topic up once per snapshot, not per record.
        var metadata = _core.Metadata.Current;
        if (gate.Known is { } known && ReferenceEquals(known.Metadata, metadata)) return known.Info;
        var info = metadata.Topics.TryGetValue(gate.Topic, out var found) && found.Error == ErrorCode.None && found.Partitions.Length > 0 ? found : null;
        gate.Known = new KnownTopicInfo(metadata, info);
        return info;
    }

    /// <summary>The topic's gate; the last one used is kept, so a run of records to one topic skips the lookup.</summary>
    private TopicGate GateFor(string topic)
    {
        var last = _lastGate;
        if (last is not null && string.Equals(last.Topic, topic, StringComparison.Ordinal)) return last;
        var gate = _gates.GetOrAdd(topic, static (t, self) => new TopicGate(t, self._accumulator.QueuesOf(t), self._partitioner.StickyFor(t)), this);
        _lastGate = gate;
        return gate;
    }

    /// <inheritdoc />
    public int Flush(TimeSpan timeout)
    {
        long deadline = Environment.TickCount64 + (long)Math.Min(timeout.TotalMilliseconds, int.MaxValue);
        _accumulator.BeginFlush();
        try
        {
            while (true)
            {
                _sender.Wake();
                long left = deadline - Environment.TickCount64;
                // Records still waiting in a gate (for metadata or memory) join batches later: look again shortly.
                bool gatesEmpty = WaitingInGates() == 0;
                var finished = _accumulator.WhenAllFinished;
                if (left <= 0 || (gatesEmpty && finished.IsCompleted)) break;
                finished.Wait(TimeSpan.FromMilliseconds(gatesEmpty ? left : Math.Min(left, GatePollMs)));
            }
        }
        finally
        {
            _accumulator.EndFlush();
        }
        return (int)Math.Min(int.MaxValue, UnfinishedRecords());
    }

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        _accumulator.BeginFlush();
        try
        {
            while (true)
            {
                _sender.Wake();
                bool gatesEmpty = WaitingInGates() == 0;
                var finished = _accumulator.WhenAllFinished;
                if (gatesEmpty && finished.IsCompleted) break;
                if (gatesEmpty) await finished.WaitAsync(cancellationToken).ConfigureAwait(false);
                else await Task.WhenAny(finished, Task.Delay(GatePollMs, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            _accumulator.EndFlush();
        }
    }

    /// <summary>How often a flush looks at records waiting in gates (rare: a new topic, or buffer.memory full).</summary>
    private const int GatePollMs = 5;

    /// <summary>
    /// Records not yet finished (in batches whose records were not all told their outcome, or waiting in a
    /// gate), counted when asked rather than per record: a shared counter touched by the producing thread
    /// and the delivery thread for every record cost more than the rest of the bookkeeping.
    /// </summary>
    private long UnfinishedRecords() => _accumulator.UnfinishedRecords + WaitingInGates();

    /// <summary>Records queued in topic gates, waiting for metadata or memory.</summary>
    private long WaitingInGates()
    {
        long waiting = 0;
        foreach (var gate in _gates.Values)
        {
            using (gate.Sync.Hold()) waiting += gate.Waiting.Count;
        }
        return waiting;
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Flushes (each record ends within delivery.timeout.ms), then stops the sender and closes connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            await _sender.StopAsync(new Error(ErrorCode.NetworkException, "the producer was closed")).ConfigureAwait(false);
            await _core.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Serializes into this thread's reusable buffers (or, for byte arrays, takes their bytes as they
    /// are); false (with the record's exception) when that fails or the record is too large. The bytes
    /// stay valid until this thread serializes again.
    /// </summary>
    private bool TrySerialize(string topic, Message<TKey, TValue> message, out Serialized record, out ReadOnlyMemory<byte> key,
        out ReadOnlyMemory<byte> value, out ProduceException<TKey, TValue> error)
    {
        var keyBuffer = t_key ??= new ArrayBufferWriter<byte>(256);
        var valueBuffer = t_value ??= new ArrayBufferWriter<byte>(1024);
        keyBuffer.ResetWrittenCount();
        valueBuffer.ResetWrittenCount();
        key = value = default;
        try
        {
            record = Serialize(topic, message, keyBuffer, valueBuffer, out key, out value);
            error = null!;
            return true;
        }
        catch (Exception e)
        {
            record = default;
            error = DeliveryCompletion<TKey, TValue>.Failure(topic, -1, message, e);
            return false;
        }
    }

    /// <summary>
    /// The common path, under the gate's lock: nothing waits in the gate, metadata is known and memory
    /// is free, so the record goes into the accumulator now. True when it was handled (appended, or
    /// failed with <paramref name="failure"/>); false when it must wait in the gate.
    /// </summary>
    private bool TryAppendNow(TopicGate gate, Partition partition, in Serialized record, ReadOnlyMemory<byte> key, ReadOnlyMemory<byte> value,
        IDeliveryCompletion sink, Message<TKey, TValue>? message, Action<DeliveryReport<TKey, TValue>>? handler, out Exception? failure)
    {
        failure = null;
        // Records wait in the gate while anything is ahead of them there, so a record never
        // overtakes an earlier one that is waiting for metadata or memory.
        if (gate.Waiting.Count > 0 || KnownTopic(gate) is not { } info || !_memory.TryReserve(record.Size)) return false;
        try
        {
            Append(gate, info, partition, record, key.Span, value.Span, sink, message, handler);
        }
        catch (Exception e)
        {
            _memory.Release(record.Size);
            failure = e;
        }
        return true;
    }

    /// <summary>Queues a record in its gate and starts the gate's drainer if none runs. Call under the gate's lock.</summary>
    private void Wait(TopicGate gate, Waiting waiting)
    {
        gate.Waiting.Enqueue(waiting);
        if (gate.Draining) return;
        gate.Draining = true;
        _ = Task.Run(() => DrainGateAsync(gate));
    }

    /// <summary>A pooled copy of serialized bytes for a record that waits (returned after it is appended).</summary>
    private static PooledBytes Copy(ReadOnlyMemory<byte> source)
    {
        var array = ArrayPool<byte>.Shared.Rent(Math.Max(1, source.Length));
        source.Span.CopyTo(array);
        return new PooledBytes(array, source.Length);
    }

    /// <summary>Picks the partition and appends; memory for the record is already reserved.</summary>
    private void Append(TopicGate gate, TopicInfo topic, Partition requested, in Serialized r, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value,
        IDeliveryCompletion sink, Message<TKey, TValue>? message, Action<DeliveryReport<TKey, TValue>>? handler)
    {
        try
        {
            int partition = ChoosePartition(topic, requested, key, r, gate.Sticky);
            bool wake = _accumulator.Append(gate.Queues, partition, r.TimestampMs, key, r.KeyIsNull, value, r.ValueIsNull,
                r.Headers.AsSpan(0, r.HeaderCount), r.Size, sink, message, handler);
            if (wake) _sender.Wake();
        }
        finally
        {
            if (r.Headers is not null) ArrayPool<RecordHeader>.Shared.Return(r.Headers, clearArray: true);
        }
    }

    /// <summary>A serialized record: nullness of key and value, timestamp, headers (pooled array) and size.</summary>
    private readonly record struct Serialized(int Size, bool KeyIsNull, bool ValueIsNull, long TimestampMs, RecordHeader[]? Headers, int HeaderCount);

    /// <summary>
    /// Per topic: the records waiting for metadata or memory, in call order (guarded by <see cref="Sync"/>), and
    /// what each record would otherwise look up by name: the topic's partition queues, its sticky
    /// partition and its metadata (valid for one snapshot).
    /// </summary>
    private sealed class TopicGate(string topic, RecordAccumulator.TopicQueues queues, DefaultPartitioner.StickyPartition sticky)
    {
        public string Topic { get; } = topic;
        public RecordAccumulator.TopicQueues Queues { get; } = queues;
        public DefaultPartitioner.StickyPartition Sticky { get; } = sticky;
        public KnownTopicInfo? Known { get; set; }
        /// <summary>
        /// Guards <see cref="Waiting"/>, <see cref="Draining"/>, <see cref="Sticky"/> and appends to this topic.
        /// An <see cref="AppendLock"/>: it is released right after a record's bytes are copied into its batch.
        /// </summary>
        public AppendLock Sync { get; } = new();
        public Queue<Waiting> Waiting { get; } = new();
        public bool Draining { get; set; }
    }

    /// <summary>What a metadata snapshot said of a topic (null info: unknown or unusable there).</summary>
    private sealed record KnownTopicInfo(ClusterMetadata Metadata, TopicInfo? Info);

    /// <summary>Serialized bytes in a rented array.</summary>
    private readonly record struct PooledBytes(byte[] Array, int Length)
    {
        public ReadOnlySpan<byte> Span => Array.AsSpan(0, Length);

        public void Return() => ArrayPool<byte>.Shared.Return(Array);
    }

    /// <summary>
    /// A record in a <see cref="TopicGate"/>, with its own copy of the serialized bytes. From
    /// <c>ProduceAsync</c> it has a <see cref="Completion"/>; from <c>Produce</c>, the caller blocks
    /// on <see cref="Appended"/> and the outcome goes to <see cref="Handler"/>.
    /// </summary>
    private sealed record Waiting(Partition Partition, Serialized Record, PooledBytes Key, PooledBytes Value, Message<TKey, TValue> Message,
        DeliveryCompletion<TKey, TValue>? Completion, Action<DeliveryReport<TKey, TValue>>? Handler, TaskCompletionSource? Appended,
        long DeadlineTicks, CancellationToken CancellationToken);
}
