using System.Buffers;
using System.Buffers.Binary;
using AkkaLog.Protocol.Compression;

namespace AkkaLog.Protocol.Records;

/// <summary>
/// Builds one v2 record batch: append records, then <see cref="Build"/> writes the header, compresses
/// the records section if asked, and computes the CRC. An uncompressed batch can instead be finished
/// where it was built (<see cref="BuildInPlace"/>): records are written after room for the header, so
/// the batch needs no copy. Buffers come from an <see cref="ArrayPool{T}"/> (the shared one unless
/// given another); dispose to return them.
/// Not thread-safe.
/// </summary>
public sealed class RecordBatchBuilder : IDisposable
{
    private readonly CompressionCodec _codec;
    private readonly ArrayPool<byte> _pool;
    private byte[] _records;
    private int _length;
    private int _count;
    private long _baseTimestamp = -1;
    private long _maxTimestamp = -1;
    // Uncompressed batches: the CRC-32C of the records written so far, updated every CrcChunk bytes
    // while they are still in cache (at send time they have long left it), and how far it reaches.
    private uint _recordsCrc;
    private int _recordsCrcLength;
    // Whole steps of three 512-byte blocks, what Crc32C's interleaved CRC-instruction path takes at a time,
    // so on a CPU without carry-less folding nearly every byte takes that path (folding takes any length).
    private const int CrcStep = 1536, CrcChunk = 3 * CrcStep;

    /// <summary>Creates a builder for a batch compressed with <paramref name="codec"/>.</summary>
    /// <param name="codec">How <see cref="Build"/> compresses the records.</param>
    /// <param name="initialCapacity">Bytes of the first buffer (see <see cref="FirstBufferLength"/>); it doubles when records need more.</param>
    /// <param name="pool">Where the record buffers come from and go back to; <see cref="ArrayPool{T}.Shared"/> when null.</param>
    public RecordBatchBuilder(CompressionCodec codec = CompressionCodec.None, int initialCapacity = 16 * 1024, ArrayPool<byte>? pool = null)
    {
        _codec = codec;
        _pool = pool ?? ArrayPool<byte>.Shared;
        _records = _pool.Rent(FirstBufferLength(initialCapacity));
    }

    /// <summary>
    /// The length the first buffer is rented at for <paramref name="initialCapacity"/>. The header's room
    /// counts against the capacity: pool buckets are powers of two, so a batch.size of 2^n fills one array
    /// exactly instead of renting one twice its size.
    /// </summary>
    public static int FirstBufferLength(int initialCapacity) => Math.Max(initialCapacity, RecordsAt + 256);

    /// <summary>Record bytes start after room for the batch header, so <see cref="BuildInPlace"/> need not move them.</summary>
    private const int RecordsAt = RecordBatchHeader.Size;

    /// <summary>Records appended so far.</summary>
    public int Count => _count;

    /// <summary>Uncompressed bytes of the records appended so far.</summary>
    public int UncompressedRecordBytes => _length;

    /// <summary>Appends a record. Null key/value are written as length -1, distinct from empty.</summary>
    public void Append(long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull, ReadOnlySpan<byte> value, bool valueIsNull,
        ReadOnlySpan<RecordHeader> headers = default)
    {
        if (_count == 0) _baseTimestamp = timestampMs;
        _maxTimestamp = Math.Max(_maxTimestamp, timestampMs);
        long timestampDelta = timestampMs - _baseTimestamp;
        int keyLen = keyIsNull ? -1 : key.Length;
        int valueLen = valueIsNull ? -1 : value.Length;

        int bodySize = 1 + ZigZag.SizeOfInt64(timestampDelta) + ZigZag.SizeOfInt32(_count)
            + ZigZag.SizeOfInt32(keyLen) + Math.Max(keyLen, 0)
            + ZigZag.SizeOfInt32(valueLen) + Math.Max(valueLen, 0)
            + ZigZag.SizeOfInt32(headers.Length);
        foreach (var h in headers)
        {
            int hv = h.Value is null ? -1 : h.Value.Length;
            bodySize += ZigZag.SizeOfInt32(h.Key.Length) + h.Key.Length + ZigZag.SizeOfInt32(hv) + Math.Max(hv, 0);
        }

        EnsureCapacity(bodySize + 5);
        var span = _records.AsSpan(RecordsAt + _length);
        int p = ZigZag.WriteInt32(span, bodySize);
        span[p++] = 0;
        p += ZigZag.WriteInt64(span[p..], timestampDelta);
        p += ZigZag.WriteInt32(span[p..], _count);
        p += WriteNullable(span[p..], key, keyLen);
        p += WriteNullable(span[p..], value, valueLen);
        p += ZigZag.WriteInt32(span[p..], headers.Length);
        foreach (var h in headers)
        {
            p += WriteNullable(span[p..], h.Key, h.Key.Length);
            p += WriteNullable(span[p..], h.Value, h.Value is null ? -1 : h.Value.Length);
        }
        _length += p;
        _count++;
        if (_codec == CompressionCodec.None && _length - _recordsCrcLength >= CrcChunk) CatchUpRecordsCrc(wholeSteps: true);
    }

    /// <summary>Extends the records' CRC over what was appended since (in whole steps only, unless finishing).</summary>
    private void CatchUpRecordsCrc(bool wholeSteps)
    {
        int pending = _length - _recordsCrcLength;
        if (wholeSteps) pending -= pending % CrcStep;
        _recordsCrc = ~Crc32C.Update(~_recordsCrc, _records.AsSpan(RecordsAt + _recordsCrcLength, pending));
        _recordsCrcLength += pending;
    }

    /// <summary>The CRC-32C of the uncompressed records section (what follows the header).</summary>
    public uint RecordsCrc
    {
        get
        {
            CatchUpRecordsCrc(wholeSteps: false);
            return _recordsCrc;
        }
    }

    /// <summary>Appends a record with a non-null key and value.</summary>
    public void Append(long timestampMs, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
        Append(timestampMs, key, false, value, false);

    /// <summary>
    /// Writes the finished batch (header + records) to <paramref name="output"/> and returns its size.
    /// baseOffset is 0; the broker assigns the real one.
    /// </summary>
    public int Build(IBufferWriter<byte> output, long producerId = -1, short producerEpoch = -1, int baseSequence = -1,
        bool transactional = false)
    {
        if (_count == 0) throw new InvalidOperationException("a record batch needs at least one record");
        ReadOnlySpan<byte> records = _records.AsSpan(RecordsAt, _length);
        byte[]? compressed = null;
        int recordsLength = _length;
        if (_codec != CompressionCodec.None)
        {
            var writer = new ArrayBufferWriter<byte>(_length / 2 + 64);
            CompressionCodecs.Compress(_codec, records, writer);
            compressed = ArrayPool<byte>.Shared.Rent(writer.WrittenCount);
            writer.WrittenSpan.CopyTo(compressed);
            recordsLength = writer.WrittenCount;
            records = compressed.AsSpan(0, recordsLength);
        }

        int total = RecordBatchHeader.Size + recordsLength;
        var batch = output.GetSpan(total)[..total];
        records.CopyTo(batch[RecordBatchHeader.Size..]);
        WriteHeader(batch, producerId, producerEpoch, baseSequence, transactional, compressed is null ? RecordsCrc : null);
        output.Advance(total);
        if (compressed is not null) ArrayPool<byte>.Shared.Return(compressed);
        return total;
    }

    /// <summary>
    /// Finishes an uncompressed batch in the builder's own buffer and returns it (header + records),
    /// valid until the builder is appended to, reset or disposed. For the producer's hot path: the
    /// records are not copied. A compressed batch must use <see cref="Build"/>.
    /// </summary>
    public ReadOnlyMemory<byte> BuildInPlace(long producerId = -1, short producerEpoch = -1, int baseSequence = -1, bool transactional = false)
    {
        if (_count == 0) throw new InvalidOperationException("a record batch needs at least one record");
        if (_codec != CompressionCodec.None) throw new InvalidOperationException("a compressed batch cannot be built in place");
        var batch = _records.AsSpan(0, RecordsAt + _length);
        WriteHeader(batch, producerId, producerEpoch, baseSequence, transactional, RecordsCrc);
        return _records.AsMemory(0, batch.Length);
    }

    /// <summary>Fills in the header of <paramref name="batch"/>, whose records section is already in place, CRC last.</summary>
    private void WriteHeader(Span<byte> batch, long producerId, short producerEpoch, int baseSequence, bool transactional,
        uint? recordsCrc = null)
    {
        BinaryPrimitives.WriteInt64BigEndian(batch, 0);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.BatchLengthAt..], batch.Length - RecordBatchHeader.LogOverhead);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.LeaderEpochAt..], -1);
        batch[RecordBatchHeader.MagicAt] = RecordBatchHeader.CurrentMagic;
        short attributes = (short)((byte)_codec | (transactional ? 0x10 : 0));
        BinaryPrimitives.WriteInt16BigEndian(batch[RecordBatchHeader.AttributesAt..], attributes);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.LastOffsetDeltaAt..], _count - 1);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.BaseTimestampAt..], _baseTimestamp);
        BinaryPrimitives.WriteInt64BigEndian(batch[RecordBatchHeader.MaxTimestampAt..], _maxTimestamp);
        BinaryPrimitives.WriteInt32BigEndian(batch[RecordBatchHeader.RecordsCountAt..], _count);
        // And the CRC, last: from the records' running CRC when there is one, else over the whole batch.
        if (recordsCrc is { } crc) RecordBatchHeader.SetProducer(batch, producerId, producerEpoch, baseSequence, crc);
        else RecordBatchHeader.SetProducer(batch, producerId, producerEpoch, baseSequence);
    }

    /// <summary>Builds the batch into a new array (convenient for tests and tools).</summary>
    public byte[] ToArray(long producerId = -1, short producerEpoch = -1, int baseSequence = -1)
    {
        var writer = new ArrayBufferWriter<byte>(RecordBatchHeader.Size + _length);
        Build(writer, producerId, producerEpoch, baseSequence);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Forgets the records so the builder can make another batch.</summary>
    public void Reset()
    {
        _length = 0;
        _count = 0;
        _baseTimestamp = -1;
        _maxTimestamp = -1;
        _recordsCrc = 0;
        _recordsCrcLength = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_records.Length > 0) _pool.Return(_records);
        _records = [];
    }

    private static int WriteNullable(Span<byte> span, ReadOnlySpan<byte> bytes, int length)
    {
        int p = ZigZag.WriteInt32(span, length);
        if (length > 0) bytes.CopyTo(span[p..]);
        return p + Math.Max(length, 0);
    }

    private void EnsureCapacity(int extra)
    {
        int needed = RecordsAt + _length + extra;
        if (needed <= _records.Length) return;
        var bigger = _pool.Rent(Math.Max(_records.Length * 2, needed));
        _records.AsSpan(RecordsAt, _length).CopyTo(bigger.AsSpan(RecordsAt));
        _pool.Return(_records);
        _records = bigger;
    }
}
