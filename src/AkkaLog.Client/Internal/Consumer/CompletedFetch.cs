using AkkaLog.Client.Internal.Network;
using System.Buffers.Binary;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Compression;
using AkkaLog.Protocol.Messages;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Consumer;

/// <summary>
/// One partition's records from one Fetch response, decoded lazily on the consumer thread, record by
/// record, without allocating: records are views into the response frame (which the connection read
/// into an array of its own) or, for a compressed batch, into this object's pooled buffer, valid until
/// the next call. The response holds whole v2 batches (the fetcher cut off any partial one at the
/// end); a batch may start before the position asked for (a compressed batch is returned whole), so
/// records below <see cref="PartitionState.Position"/> are skipped. Control batches are skipped, and
/// with read_committed so are batches of aborted transactions, tracked as Java's fetcher does: the
/// response lists (producer id, first offset) of aborted transactions; a producer's transactional
/// batches are dropped from its first offset until its ABORT marker. Passing a batch moves the position
/// to the batch's end, so a batch whose last records were compacted away is not fetched again.
/// Consumer thread only (the fetcher hands it over under the table lock and never touches it again).
/// </summary>
internal sealed class CompletedFetch : IDisposable
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly bool _checkCrcs;
    private readonly FetchResponse.AbortedTransaction[]? _aborted;
    private readonly bool _readCommitted;
    private int _nextAborted;
    private HashSet<long>? _abortedProducers;
    private int _batchAt;
    private RecordBatchHeader _batch;
    private bool _inBatch;
    private ReadOnlyMemory<byte> _records;
    private int _recordAt;
    private KafkaWriter? _buffer;
    private FrameLease? _frame;
    private int _disposed;

    public CompletedFetch(PartitionState state, int epoch, ReadOnlyMemory<byte> data, bool checkCrcs, bool readCommitted,
        List<FetchResponse.AbortedTransaction>? aborted, FrameLease? frame = null)
    {
        _frame = frame;
        State = state;
        Epoch = epoch;
        _data = data;
        _checkCrcs = checkCrcs;
        _readCommitted = readCommitted;
        if (readCommitted && aborted is { Count: > 0 })
        {
            _aborted = aborted.ToArray();
            Array.Sort(_aborted, static (a, b) => a.FirstOffset.CompareTo(b.FirstOffset));
        }
    }

    public PartitionState State { get; }

    public int Epoch { get; }

    /// <summary>The partition was sought, reset or removed since this was fetched.</summary>
    public bool IsStale => State.Removed || Volatile.Read(ref State.Epoch) != Epoch;

    /// <summary>
    /// The next record at or past the partition's position, or false when this response is used up.
    /// Throws <see cref="KafkaException"/> (CORRUPT_MESSAGE) for a bad CRC or an undecodable batch.
    /// </summary>
    public bool TryNext(out Record record, out long offset, out Timestamp timestamp, out int leaderEpoch)
    {
        while (true)
        {
            if (_inBatch)
            {
                var records = _records.Span;
                while (_recordAt < records.Length)
                {
                    var reader = new RecordReader(records[_recordAt..]);
                    if (!reader.TryReadNext(out record)) throw Corrupt(_batch.BaseOffset, "a record does not parse");
                    _recordAt += reader.Position;
                    offset = _batch.BaseOffset + record.OffsetDelta;
                    if (offset < State.Position) continue;
                    timestamp = _batch.TimestampType == Protocol.Records.TimestampType.LogAppendTime
                        ? new Timestamp(_batch.MaxTimestamp, TimestampType.LogAppendTime)
                        : new Timestamp(_batch.BaseTimestamp + record.TimestampDelta, TimestampType.CreateTime);
                    leaderEpoch = _batch.PartitionLeaderEpoch;
                    return true;
                }
                _inBatch = false;
                if (_batch.NextOffset > State.Position) State.Position = _batch.NextOffset;
            }
            if (!TryOpenNextBatch())
            {
                record = default;
                offset = -1;
                timestamp = default;
                leaderEpoch = -1;
                return false;
            }
        }
    }

    /// <summary>Returns the decompression buffer and its reference to the response frame; idempotent. Nothing may be read afterwards.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _buffer?.Dispose();
        _buffer = null;
        _frame?.Release();
        _frame = null;
    }

    private bool TryOpenNextBatch()
    {
        var data = _data.Span;
        while (_batchAt + RecordBatchHeader.Size <= data.Length)
        {
            var (baseOffset, batchLength) = RecordBatchHeader.ReadLogEntryPrefix(data[_batchAt..]);
            int size = batchLength + RecordBatchHeader.LogOverhead;
            if (size < RecordBatchHeader.Size || size > data.Length - _batchAt) throw Corrupt(baseOffset, $"batch length {batchLength} does not fit");
            int at = _batchAt;
            _batchAt += size;
            var bytes = data.Slice(at, size);
            var header = RecordBatchHeader.Read(bytes);
            if (header.Magic != RecordBatchHeader.CurrentMagic) throw Corrupt(baseOffset, $"record batch magic {header.Magic} is not supported (only v2)");
            if (header.NextOffset <= State.Position) continue;
            if (_checkCrcs && RecordBatchHeader.ComputeCrc(bytes) != header.Crc) throw Corrupt(baseOffset, "the batch's CRC does not match its contents");
            var section = _data.Slice(at + RecordBatchHeader.Size, size - RecordBatchHeader.Size);
            if (SkipForTransactions(header, section.Span) || header.IsControl)
            {
                if (header.NextOffset > State.Position) State.Position = header.NextOffset;
                continue;
            }
            if (header.Compression == CompressionCodec.None)
            {
                _records = section;
            }
            else
            {
                _buffer ??= new KafkaWriter(Math.Max(4096, section.Length * 4));
                _buffer.Reset();
                try
                {
                    CompressionCodecs.Decompress(header.Compression, section.Span, _buffer);
                }
                catch (Exception e) when (e is InvalidDataException or NotSupportedException or DllNotFoundException)
                {
                    throw Corrupt(baseOffset, $"{header.Compression} batch does not decompress: {e.Message}", e);
                }
                _records = _buffer.WrittenMemory;
            }
            _batch = header;
            _recordAt = 0;
            _inBatch = true;
            return true;
        }
        return false;
    }

    /// <summary>read_committed bookkeeping (Java's <c>Fetcher</c>): true for a data batch of an aborted transaction.</summary>
    private bool SkipForTransactions(in RecordBatchHeader header, ReadOnlySpan<byte> section)
    {
        if (!_readCommitted || header.ProducerId < 0) return false;
        while (_aborted is not null && _nextAborted < _aborted.Length && _aborted[_nextAborted].FirstOffset <= header.LastOffset)
            (_abortedProducers ??= new()).Add(_aborted[_nextAborted++].ProducerId);
        if (header.IsControl)
        {
            // A control record's key is version int16 | type int16 (0 = ABORT, 1 = COMMIT); control batches are never compressed.
            var reader = new RecordReader(section);
            if (reader.TryReadNext(out var marker) && marker.Key.Length >= 4 && BinaryPrimitives.ReadInt16BigEndian(marker.Key[2..]) == 0)
                _abortedProducers?.Remove(header.ProducerId);
            return false;
        }
        return header.IsTransactional && _abortedProducers is not null && _abortedProducers.Contains(header.ProducerId);
    }

    private KafkaException Corrupt(long batchOffset, string what, Exception? inner = null) =>
        new(ErrorCode.CorruptMessage, $"{State.TopicPartition} batch at offset {batchOffset}: {what}", inner);
}
