using System.Buffers;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Compression;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Producer;

internal sealed partial class ProducerBatch
{
    /// <summary>
    /// For a batch the broker refused with MESSAGE_TOO_LARGE (the Java client does the same, KIP-126):
    /// decodes the sent bytes and moves the records, with their completions and reserved memory, into
    /// two new batches holding the first and the second half. This batch is then spent (settled
    /// without telling anyone). Halving again on a further refusal ends at single records, which fail
    /// on their own. Null for a batch of one record, or one already settled.
    /// </summary>
    public (ProducerBatch First, ProducerBatch Second)? TrySplit()
    {
        if (_count < 2 || !IsSealed || Interlocked.Exchange(ref _done, 1) != 0) return null;
        var first = new ProducerBatch(Topic, Partition, _codec, _batchSize, CreatedTicks, _dispatcher, buffers: _buffers);
        var second = new ProducerBatch(Topic, Partition, _codec, _batchSize, CreatedTicks, _dispatcher, buffers: _buffers);
        // The halves take the original's place: ahead of any younger batch of the partition.
        first.Order = second.Order = Order;
        var encoded = _encoded.Span;
        var header = RecordBatchHeader.Read(encoded);
        var section = encoded[RecordBatchHeader.Size..];
        using var decompressed = header.Compression == CompressionCodec.None ? null : new KafkaWriter(section.Length * 4);
        if (decompressed is not null) CompressionCodecs.Decompress(header.Compression, section, decompressed);
        var reader = new RecordReader(decompressed is null ? section : decompressed.WrittenSpan);
        int half = _count / 2;
        for (int i = 0; i < _count; i++)
        {
            // We encoded these bytes ourselves moments ago; a failure here is a bug, not bad input.
            if (!reader.TryReadNext(out var record)) throw new InvalidOperationException($"splitting a batch found {i} of {_count} records");
            var headers = ReadHeaders(record);
            (i < half ? first : second).AppendRecord(header.BaseTimestamp + record.TimestampDelta, record.Key, record.KeyIsNull,
                record.Value, record.ValueIsNull, headers, _entries[i]);
        }
        ReturnBuffers();
        ArrayPool<Entry>.Shared.Return(_entries, clearArray: true);
        _entries = [];
        return (first, second);
    }

    private static RecordHeader[] ReadHeaders(in Record record)
    {
        if (record.HeaderCount == 0) return [];
        var headers = new RecordHeader[record.HeaderCount];
        var reader = new RecordHeaderReader(record.Headers);
        for (int i = 0; i < headers.Length && reader.TryReadNext(out var key, out var value, out bool valueIsNull); i++)
            headers[i] = new RecordHeader(key.ToArray(), valueIsNull ? null : value.ToArray());
        return headers;
    }
}
