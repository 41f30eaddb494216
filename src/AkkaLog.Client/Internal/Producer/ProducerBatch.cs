using System.Buffers;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// Told how one record's delivery ended: the typed producer's per-record task, or its shared
/// delivery-report sink, which gets the record's message and handler back as <c>message</c> and
/// <c>handler</c> (kept in the batch so a handler-based record costs no object of its own).
/// </summary>
internal interface IDeliveryCompletion
{
    /// <summary>The record is in the log (or, with acks=0, was sent).</summary>
    void Succeeded(string topic, int partition, long offset, Timestamp timestamp, PersistenceStatus status, object? message, object? handler);

    /// <summary>The record will not be delivered.</summary>
    void Failed(string topic, int partition, Error error, object? message, object? handler);
}

/// <summary>What settling a batch did.</summary>
internal enum Settlement
{
    /// <summary>Every record was told its outcome now.</summary>
    Resolved,
    /// <summary>The records will be told by the <see cref="DeliveryDispatcher"/>.</summary>
    Dispatched,
    /// <summary>The batch had been settled before; nothing happened.</summary>
    AlreadySettled,
}

/// <summary>
/// Records for one partition that travel together as one v2 record batch. Open while records are
/// appended (into the pooled <see cref="RecordBatchBuilder"/>); <see cref="Seal"/> compresses and
/// encodes it once into pooled memory, and retries resend those same bytes. Completes exactly once
/// (<see cref="Complete"/> or <see cref="Fail"/>), which resolves every record's completion and
/// returns the buffers: on the sender at once when only tasks wait (their continuations run
/// asynchronously anyway), or through the <see cref="DeliveryDispatcher"/> when a record has a
/// delivery handler, so user code never runs on the sender and handlers run in completion order.
/// Appending is guarded by the owning partition queue's lock; the rest runs on the sender.
/// </summary>
internal sealed partial class ProducerBatch
{
    private static long s_order;
    private readonly int _batchSize;
    private readonly CompressionCodec _codec;
    private readonly DeliveryDispatcher? _dispatcher;
    private readonly ArrayPool<byte>? _buffers;
    private RecordBatchBuilder? _builder;
    private bool _sealed;
    private ReadOnlyMemory<byte> _encoded;
    private KafkaWriter? _compressed;
    private Entry[] _entries;
    private int _count;
    private int _done;
    private bool _hasHandlers;
    private Outcome _outcome;

    /// <summary>An empty, open batch for one partition.</summary>
    /// <param name="topic">The partition's topic.</param>
    /// <param name="partition">The partition.</param>
    /// <param name="codec">How the batch is compressed when sealed.</param>
    /// <param name="batchSize">batch.size: records stop joining once the batch would pass it.</param>
    /// <param name="nowTicks">Creation time (Environment.TickCount64), from which linger and delivery timeout count.</param>
    /// <param name="dispatcher">Runs the records' delivery handlers; null resolves them on the completing thread.</param>
    /// <param name="expectedRecords">How many records the batch will likely hold (batch.size over the first record's size):
    /// the per-record array starts that big instead of doubling its way up.</param>
    /// <param name="buffers">Where the record bytes are built (<see cref="BatchBufferPool"/>); the shared pool when null.</param>
    public ProducerBatch(string topic, int partition, CompressionCodec codec, int batchSize, long nowTicks, DeliveryDispatcher? dispatcher = null,
        int expectedRecords = 16, ArrayPool<byte>? buffers = null)
    {
        _dispatcher = dispatcher;
        _buffers = buffers;
        Topic = topic;
        Partition = partition;
        _codec = codec;
        _batchSize = batchSize;
        CreatedTicks = nowTicks;
        _builder = new RecordBatchBuilder(codec, BatchBufferPool.FirstCapacity(batchSize), buffers);
        _entries = ArrayPool<Entry>.Shared.Rent(Math.Clamp(expectedRecords, 16, 1024));
    }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>Creation order across the producer: a partition's batches are sent, and re-sent, in this order.</summary>
    public long Order { get; private set; } = Interlocked.Increment(ref s_order);

    /// <summary>When the first record was appended (Environment.TickCount64): linger and delivery timeout count from here.</summary>
    public long CreatedTicks { get; }

    /// <summary>Records in the batch.</summary>
    public int Count => _count;

    /// <summary>Bytes reserved from buffer.memory for these records, released on completion.</summary>
    public long ReservedBytes { get; private set; }

    /// <summary>Send attempts so far.</summary>
    public int Attempts { get; set; }

    /// <summary>The broker the batch was last sent to (-1 before the first send).</summary>
    public int LastLeader { get; set; } = -1;

    /// <summary>Not to be sent again before this tick (retry backoff).</summary>
    public long RetryAtTicks { get; set; }

    /// <summary>
    /// After an error meaning the client's metadata is stale (NOT_LEADER_OR_FOLLOWER...): the tick of that
    /// error. The batch is not sent again until metadata fetched later than this has arrived, so the
    /// retry goes to the new leader instead of the old one. 0 when no refresh is awaited.
    /// </summary>
    public long AwaitsMetadataAfterTicks { get; set; }

    /// <summary>The error of the last failed attempt, reported if the batch then expires.</summary>
    public Error? LastError { get; set; }

    /// <summary>True once encoded; no more records may be added.</summary>
    public bool IsSealed => _sealed;

    /// <summary>Uncompressed size so far, header included.</summary>
    public int EstimatedSize => RecordBatchHeader.Size + (_builder?.UncompressedRecordBytes ?? 0);

    /// <summary>True when another record of typical size would not fit in batch.size.</summary>
    public bool IsFull => EstimatedSize >= _batchSize;

    /// <summary>The encoded batch (valid after <see cref="Seal"/> until completion).</summary>
    public ReadOnlyMemory<byte> Encoded => _encoded;

    /// <summary>
    /// Appends a record unless it would push a non-empty batch past batch.size (a record bigger than
    /// batch.size gets a batch of its own, as in Java).
    /// </summary>
    public bool TryAppend(long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers, int recordSize, IDeliveryCompletion completion, object? message = null, object? handler = null)
    {
        if (IsSealed || (_count > 0 && EstimatedSize + recordSize > _batchSize)) return false;
        AppendRecord(timestampMs, key, keyIsNull, value, valueIsNull, headers, new Entry(completion, message, handler, timestampMs, recordSize));
        return true;
    }

    private void AppendRecord(long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers, in Entry entry)
    {
        _builder!.Append(timestampMs, key, keyIsNull, value, valueIsNull, headers);
        if (_count == _entries.Length)
        {
            var bigger = ArrayPool<Entry>.Shared.Rent(_count * 2);
            _entries.AsSpan(0, _count).CopyTo(bigger);
            ArrayPool<Entry>.Shared.Return(_entries, clearArray: true);
            _entries = bigger;
        }
        _entries[_count++] = entry;
        _hasHandlers |= entry.Handler is not null;
        ReservedBytes += entry.Size;
    }

    /// <summary>
    /// Encodes the batch with its producer id, epoch and sequence (see <c>ProducerBatch.Sequence.cs</c>);
    /// idempotent, except that a new sequence is written over an old one. An uncompressed batch is finished in the builder's buffer (no
    /// copy; the builder lives until the batch settles), a compressed one into a new buffer.
    /// </summary>
    public void Seal()
    {
        if (IsSealed)
        {
            Restamp();
            return;
        }
        _sealed = true;
        _stampedGeneration = SequenceGeneration;
        if (_codec == CompressionCodec.None)
        {
            _encoded = _builder!.BuildInPlace(ProducerId, ProducerEpoch, BaseSequence);
            return;
        }
        var writer = new KafkaWriter(EstimatedSize);
        _builder!.Build(writer, ProducerId, ProducerEpoch, BaseSequence);
        _builder.Dispose();
        _builder = null;
        _compressed = writer;
        _encoded = writer.WrittenMemory;
    }

    /// <summary>
    /// Resolves every record as delivered at <paramref name="baseOffset"/> + i (or unknown offsets for
    /// acks=0), now or (with delivery handlers) through the dispatcher, which then reports the batch
    /// finished itself.
    /// </summary>
    public Settlement Complete(long baseOffset, long logAppendTimeMs, PersistenceStatus status) =>
        Settle(new Outcome(baseOffset, logAppendTimeMs, status, null));

    /// <summary>Resolves every record as failed with <paramref name="error"/>; returns as <see cref="Complete"/> does.</summary>
    public Settlement Fail(Error error) => Settle(new Outcome(-1, -1, PersistenceStatus.NotPersisted, error));

    /// <summary>Tells every record its outcome and returns the buffers (on the dispatcher for handler batches).</summary>
    internal void Resolve()
    {
        var o = _outcome;
        for (int i = 0; i < _count; i++)
        {
            ref var e = ref _entries[i];
            if (o.Error is not null)
            {
                e.Completion.Failed(Topic, Partition, o.Error, e.Message, e.Handler);
                continue;
            }
            var timestamp = o.LogAppendTimeMs >= 0
                ? new Timestamp(o.LogAppendTimeMs, TimestampType.LogAppendTime)
                : new Timestamp(e.TimestampMs, TimestampType.CreateTime);
            e.Completion.Succeeded(Topic, Partition, o.BaseOffset >= 0 ? o.BaseOffset + i : Offset.Unset.Value, timestamp, o.Status, e.Message, e.Handler);
        }
        ArrayPool<Entry>.Shared.Return(_entries, clearArray: true);
        _entries = [];
    }

    private Settlement Settle(Outcome outcome)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return Settlement.AlreadySettled;
        _outcome = outcome;
        // The record bytes are not needed any more, whenever the handlers run.
        ReturnBuffers();
        if (_hasHandlers && _dispatcher is not null)
        {
            _dispatcher.Enqueue(this);
            return Settlement.Dispatched;
        }
        Resolve();
        return Settlement.Resolved;
    }

    /// <summary>Returns the record bytes (builder and compressed copy) to their pools; the batch cannot be sent again.</summary>
    private void ReturnBuffers()
    {
        _encoded = default;
        _builder?.Dispose();
        _builder = null;
        _compressed?.Dispose();
        _compressed = null;
    }

    private readonly record struct Entry(IDeliveryCompletion Completion, object? Message, object? Handler, long TimestampMs, int Size);

    private readonly record struct Outcome(long BaseOffset, long LogAppendTimeMs, PersistenceStatus Status, Error? Error);
}
