using System.Buffers;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>Told how one record's delivery ended. Implemented by the typed producer's per-record completion.</summary>
internal interface IDeliveryCompletion
{
    /// <summary>The record is in the log (or, with acks=0, was sent).</summary>
    void Succeeded(int partition, long offset, Timestamp timestamp, PersistenceStatus status);

    /// <summary>The record will not be delivered.</summary>
    void Failed(int partition, Error error);
}

/// <summary>
/// Records for one partition that travel together as one v2 record batch. Open while records are
/// appended (into the pooled <see cref="RecordBatchBuilder"/>); <see cref="Seal"/> compresses and
/// encodes it once into pooled memory, and retries resend those same bytes. Completes exactly once
/// (<see cref="Complete"/> or <see cref="Fail"/>), which resolves every record's completion and
/// returns the buffers. Appending is guarded by the owning partition queue's lock; the rest runs on
/// the sender.
/// </summary>
internal sealed class ProducerBatch
{
    private readonly int _batchSize;
    private readonly CompressionCodec _codec;
    private RecordBatchBuilder? _builder;
    private KafkaWriter? _encoded;
    private Entry[] _entries;
    private int _count;
    private int _done;

    public ProducerBatch(string topic, int partition, CompressionCodec codec, int batchSize, long nowTicks)
    {
        Topic = topic;
        Partition = partition;
        _codec = codec;
        _batchSize = batchSize;
        CreatedTicks = nowTicks;
        _builder = new RecordBatchBuilder(codec, Math.Min(batchSize, 1 << 20));
        _entries = ArrayPool<Entry>.Shared.Rent(16);
    }

    public string Topic { get; }

    public int Partition { get; }

    /// <summary>When the first record was appended (Environment.TickCount64): linger and delivery timeout count from here.</summary>
    public long CreatedTicks { get; }

    /// <summary>Records in the batch.</summary>
    public int Count => _count;

    /// <summary>Bytes reserved from buffer.memory for these records, released on completion.</summary>
    public long ReservedBytes { get; private set; }

    /// <summary>Send attempts so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Not to be sent again before this tick (retry backoff).</summary>
    public long RetryAtTicks { get; set; }

    /// <summary>The error of the last failed attempt, reported if the batch then expires.</summary>
    public Error? LastError { get; set; }

    /// <summary>True once encoded; no more records may be added.</summary>
    public bool IsSealed => _encoded is not null;

    /// <summary>Uncompressed size so far, header included.</summary>
    public int EstimatedSize => RecordBatchHeader.Size + (_builder?.UncompressedRecordBytes ?? 0);

    /// <summary>True when another record of typical size would not fit in batch.size.</summary>
    public bool IsFull => EstimatedSize >= _batchSize;

    /// <summary>The encoded batch (valid after <see cref="Seal"/> until completion).</summary>
    public ReadOnlyMemory<byte> Encoded => _encoded!.WrittenMemory;

    /// <summary>
    /// Appends a record unless it would push a non-empty batch past batch.size (a record bigger than
    /// batch.size gets a batch of its own, as in Java).
    /// </summary>
    public bool TryAppend(long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers, int recordSize, IDeliveryCompletion completion)
    {
        if (IsSealed || (_count > 0 && EstimatedSize + recordSize > _batchSize)) return false;
        _builder!.Append(timestampMs, key, keyIsNull, value, valueIsNull, headers);
        if (_count == _entries.Length)
        {
            var bigger = ArrayPool<Entry>.Shared.Rent(_count * 2);
            _entries.AsSpan(0, _count).CopyTo(bigger);
            ArrayPool<Entry>.Shared.Return(_entries, clearArray: true);
            _entries = bigger;
        }
        _entries[_count++] = new Entry(completion, timestampMs);
        ReservedBytes += recordSize;
        return true;
    }

    /// <summary>Encodes (and compresses) the batch; idempotent.</summary>
    public void Seal()
    {
        if (IsSealed) return;
        var writer = new KafkaWriter(EstimatedSize);
        _builder!.Build(writer);
        _builder.Dispose();
        _builder = null;
        _encoded = writer;
    }

    /// <summary>Resolves every record as delivered at <paramref name="baseOffset"/> + i (or unknown offsets for acks=0).</summary>
    public void Complete(long baseOffset, long logAppendTimeMs, PersistenceStatus status)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        for (int i = 0; i < _count; i++)
        {
            ref var e = ref _entries[i];
            var timestamp = logAppendTimeMs >= 0
                ? new Timestamp(logAppendTimeMs, TimestampType.LogAppendTime)
                : new Timestamp(e.TimestampMs, TimestampType.CreateTime);
            e.Completion.Succeeded(Partition, baseOffset >= 0 ? baseOffset + i : Offset.Unset.Value, timestamp, status);
        }
        ReturnBuffers();
    }

    /// <summary>Resolves every record as failed with <paramref name="error"/>.</summary>
    public void Fail(Error error)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0) return;
        for (int i = 0; i < _count; i++) _entries[i].Completion.Failed(Partition, error);
        ReturnBuffers();
    }

    private void ReturnBuffers()
    {
        _builder?.Dispose();
        _builder = null;
        _encoded?.Dispose();
        ArrayPool<Entry>.Shared.Return(_entries, clearArray: true);
        _entries = [];
    }

    private readonly record struct Entry(IDeliveryCompletion Completion, long TimestampMs);
}
