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
    private readonly ISerializer<TKey> _keySerializer;
    private readonly ISerializer<TValue> _valueSerializer;
    private readonly TimeSpan _maxBlock;
    private readonly int _maxRequestSize;
    private readonly Action _recordDone;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TopicGate> _gates = new(StringComparer.Ordinal);
    private long _pendingRecords;
    private int _disposed;

    public Producer(ProducerConfig config, ISerializer<TKey> keySerializer, ISerializer<TValue> valueSerializer)
    {
        _core = new ClientCore(config, config.AllowAutoCreateTopics);
        _keySerializer = keySerializer;
        _valueSerializer = valueSerializer;
        _maxBlock = TimeSpan.FromMilliseconds(config.MaxBlockMs);
        _maxRequestSize = config.MaxRequestSize;
        _memory = new MemoryBudget(config.BufferMemory);
        _partitioner = new DefaultPartitioner(config.Partitioner, config.BatchSize);
        _accumulator = new RecordAccumulator(config.Codec, config.BatchSize, config.LingerMs, config.DeliveryTimeoutMs);
        _sender = new Sender(_accumulator, _core.Metadata, _core.Pool, _memory, new SenderSettings(
            (short)config.Acks, config.RequestTimeoutMs, config.MaxInFlight, config.MaxRequestSize, config.Retries,
            TimeSpan.FromMilliseconds(config.RetryBackoffMs), TimeSpan.FromMilliseconds(Math.Max(config.RetryBackoffMs, config.RetryBackoffMaxMs)),
            config.DeliveryTimeoutMs));
        _recordDone = () => Interlocked.Decrement(ref _pendingRecords);
        Name = config.ClientId.Length > 0 ? config.ClientId : $"producer-{Environment.ProcessId}-{GetHashCode():x}";
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
        var completion = new DeliveryCompletion<TKey, TValue>(topic, message, _recordDone);
        var key = t_key ??= new ArrayBufferWriter<byte>(256);
        var value = t_value ??= new ArrayBufferWriter<byte>(1024);
        key.ResetWrittenCount();
        value.ResetWrittenCount();
        Serialized record;
        try
        {
            record = Serialize(topic, message, key, value);
        }
        catch (Exception e)
        {
            return Task.FromException<DeliveryResult<TKey, TValue>>(DeliveryCompletion<TKey, TValue>.Failure(topic, -1, message, e));
        }
        Interlocked.Increment(ref _pendingRecords);

        var gate = _gates.GetOrAdd(topic, static t => new TopicGate(t));
        lock (gate)
        {
            // Records wait in the gate while anything is ahead of them there, so a record never
            // overtakes an earlier one that is waiting for metadata or memory.
            if (gate.Waiting.Count == 0
                && _core.Metadata.Current.Topics.TryGetValue(topic, out var info) && info.Error == ErrorCode.None && info.Partitions.Length > 0
                && _memory.TryReserve(record.Size))
            {
                try
                {
                    Append(info, topicPartition.Partition, record, key.WrittenSpan, value.WrittenSpan, completion);
                }
                catch (Exception e)
                {
                    _memory.Release(record.Size);
                    completion.Failed(-1, e);
                }
                return completion.Task;
            }
            gate.Waiting.Enqueue(new Waiting(topicPartition.Partition, record, key.WrittenSpan.ToArray(), value.WrittenSpan.ToArray(),
                completion, Environment.TickCount64 + (long)_maxBlock.TotalMilliseconds, cancellationToken));
            if (!gate.Draining)
            {
                gate.Draining = true;
                _ = Task.Run(() => DrainGateAsync(gate));
            }
        }
        return completion.Task;
    }

    /// <inheritdoc />
    public int Flush(TimeSpan timeout)
    {
        _accumulator.BeginFlush();
        try
        {
            _sender.Wake();
            _accumulator.WhenAllFinished.Wait(timeout);
        }
        finally
        {
            _accumulator.EndFlush();
        }
        return (int)Math.Min(int.MaxValue, Interlocked.Read(ref _pendingRecords));
    }

    /// <inheritdoc />
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        _accumulator.BeginFlush();
        try
        {
            _sender.Wake();
            await _accumulator.WhenAllFinished.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _accumulator.EndFlush();
        }
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

    /// <summary>Picks the partition and appends; memory for the record is already reserved.</summary>
    private void Append(TopicInfo topic, Partition requested, in Serialized r, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value,
        DeliveryCompletion<TKey, TValue> completion)
    {
        try
        {
            int partition = ChoosePartition(topic, requested, key, r);
            bool wake = _accumulator.Append(topic.Name, partition, r.TimestampMs, key, r.KeyIsNull, value, r.ValueIsNull,
                r.Headers.AsSpan(0, r.HeaderCount), r.Size, completion);
            if (wake) _sender.Wake();
        }
        finally
        {
            if (r.Headers is not null) ArrayPool<RecordHeader>.Shared.Return(r.Headers, clearArray: true);
        }
    }

    /// <summary>A serialized record: nullness of key and value, timestamp, headers (pooled array) and size.</summary>
    private readonly record struct Serialized(int Size, bool KeyIsNull, bool ValueIsNull, long TimestampMs, RecordHeader[]? Headers, int HeaderCount);

    /// <summary>Records of one topic waiting for its metadata or for buffer memory, in call order.</summary>
    private sealed class TopicGate(string topic)
    {
        public string Topic { get; } = topic;
        public Queue<Waiting> Waiting { get; } = new();
        public bool Draining { get; set; }
    }

    /// <summary>A record in a <see cref="TopicGate"/>, with its own copy of the serialized bytes.</summary>
    private sealed record Waiting(Partition Partition, Serialized Record, byte[] Key, byte[] Value, DeliveryCompletion<TKey, TValue> Completion,
        long DeadlineTicks, CancellationToken CancellationToken);
}
