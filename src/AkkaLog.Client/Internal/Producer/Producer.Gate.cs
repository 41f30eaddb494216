using System.Buffers;
using System.Text;
using AkkaLog.Client.Internal.Metadata;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Producer;

internal sealed partial class Producer<TKey, TValue>
{
    /// <summary>
    /// Empties a topic's gate in order: for the oldest record, wait (within its max.block.ms) for the
    /// topic's metadata and for buffer memory, append it, then the next. Only one drainer per gate runs.
    /// A record whose wait fails (missing topic, no memory in time, cancelled) fails alone; later ones
    /// still get their own full wait.
    /// </summary>
    private async Task DrainGateAsync(TopicGate gate)
    {
        while (true)
        {
            Waiting next;
            using (gate.Sync.Hold())
            {
                if (gate.Waiting.Count == 0)
                {
                    gate.Draining = false;
                    return;
                }
                next = gate.Waiting.Peek();
            }
            bool reserved = false;
            try
            {
                next.CancellationToken.ThrowIfCancellationRequested();
                var remaining = TimeSpan.FromMilliseconds(Math.Max(0, next.DeadlineTicks - Environment.TickCount64));
                var topic = await _core.Metadata.WaitForTopicAsync(gate.Topic, remaining, next.CancellationToken).ConfigureAwait(false);
                remaining = TimeSpan.FromMilliseconds(Math.Max(0, next.DeadlineTicks - Environment.TickCount64));
                if (!_memory.TryReserve(next.Record.Size))
                    await _memory.ReserveAsync(next.Record.Size, remaining, next.CancellationToken).ConfigureAwait(false);
                reserved = true;
                // Under the gate's lock, like every append to the topic (a Produce blocked for memory may append at the same time).
                using (gate.Sync.Hold())
                {
                    if (next.Completion is { } completion) Append(gate, topic, next.Partition, next.Record, next.Key.Span, next.Value.Span, completion, null, null);
                    else Append(gate, topic, next.Partition, next.Record, next.Key.Span, next.Value.Span, _reports, next.Message, next.Handler);
                }
                next.Appended?.TrySetResult();
            }
            catch (Exception e)
            {
                if (reserved) _memory.Release(next.Record.Size);
                else if (next.Record.Headers is not null) ArrayPool<RecordHeader>.Shared.Return(next.Record.Headers, clearArray: true);
                if (next.Completion is { } completion) completion.Failed(-1, e);
                else
                {
                    next.Appended!.TrySetException(DeliveryCompletion<TKey, TValue>.Failure(gate.Topic, -1, next.Message, e));
                }
            }
            finally
            {
                next.Key.Return();
                next.Value.Return();
            }
            using (gate.Sync.Hold()) gate.Waiting.Dequeue();
        }
    }

    /// <summary>
    /// Serializes key and value (into <paramref name="keyBuffer"/>/<paramref name="valueBuffer"/> unless
    /// the serializer passes its input through), converts headers and stamps the time. Throws
    /// <see cref="KafkaException"/> for a record larger than max.request.size.
    /// </summary>
    private Serialized Serialize(string topic, Message<TKey, TValue> message, ArrayBufferWriter<byte> keyBuffer, ArrayBufferWriter<byte> valueBuffer,
        out ReadOnlyMemory<byte> key, out ReadOnlyMemory<byte> value)
    {
        bool keyIsNull = !SerializeComponent(_keySerializer, message.Key, new SerializationContext(MessageComponentType.Key, topic, message.Headers), keyBuffer, out key);
        bool valueIsNull = !SerializeComponent(_valueSerializer, message.Value, new SerializationContext(MessageComponentType.Value, topic, message.Headers), valueBuffer, out value);

        int headerBytes = 0;
        if (message.Headers is { Count: > 0 } source)
        {
            foreach (var h in source) headerBytes += Encoding.UTF8.GetByteCount(h.Key) + (h.GetValueBytes()?.Length ?? 0) + 10;
        }
        int size = RecordOverhead + key.Length + value.Length + headerBytes;
        if (size > _maxRequestSize || size > _memory.Capacity)
        {
            throw new KafkaException(ErrorCode.MessageTooLarge,
                $"the record is {size} bytes, more than max.request.size ({_maxRequestSize}) or buffer.memory ({_memory.Capacity})");
        }

        RecordHeader[]? headers = null;
        int headerCount = 0;
        if (message.Headers is { Count: > 0 } hs)
        {
            headers = ArrayPool<RecordHeader>.Shared.Rent(hs.Count);
            foreach (var h in hs) headers[headerCount++] = new RecordHeader(Encoding.UTF8.GetBytes(h.Key), h.GetValueBytes());
        }
        long timestamp = message.Timestamp.Type == TimestampType.NotAvailable
            ? DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()
            : message.Timestamp.UnixTimestampMs;
        return new Serialized(size, keyIsNull, valueIsNull, timestamp, headers, headerCount);
    }

    /// <summary>The requested partition if valid, else the partitioner's choice.</summary>
    private int ChoosePartition(TopicInfo topic, Partition requested, ReadOnlySpan<byte> key, in Serialized r, DefaultPartitioner.StickyPartition sticky)
    {
        if (requested.IsSpecial) return _partitioner.Partition(topic, key, r.KeyIsNull, r.Size, sticky);
        if (requested.Value >= topic.Partitions.Length)
        {
            throw new KafkaException(ErrorCode.UnknownTopicOrPartition,
                $"partition {requested.Value} does not exist: topic '{topic.Name}' has {topic.Partitions.Length}");
        }
        return requested.Value;
    }

    /// <summary>Copies a serializer's array into the buffer; false for null.</summary>
    private static bool WriteArray(byte[]? array, ArrayBufferWriter<byte> output)
    {
        if (array is null) return false;
        output.Write(array);
        return true;
    }

    /// <summary>
    /// Runs a serializer: a pass-through one gives its input's bytes, otherwise the pooled-buffer form
    /// is preferred. False means a null key/value; <paramref name="bytes"/> is what to send.
    /// </summary>
    private static bool SerializeComponent<T>(ResolvedSerializer<T> serializer, T data, SerializationContext context, ArrayBufferWriter<byte> output,
        out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        try
        {
            if (serializer.PassThrough is { } passThrough)
            {
                var raw = passThrough.Bytes(data);
                bytes = raw.GetValueOrDefault();
                return raw.HasValue;
            }
            bool written = serializer.Buffer is { } direct ? direct.Serialize(data, context, output) : WriteArray(serializer.Plain.Serialize(data, context), output);
            bytes = output.WrittenMemory;
            return written;
        }
        catch (Exception e) when (e is not KafkaException)
        {
            throw new KafkaException(ErrorCode.InvalidRecord, $"{context.Component.ToString().ToLowerInvariant()} serialization failed: {e.Message}", e);
        }
    }

    /// <summary>A serializer with its fastest form found once (casts to generic interfaces cost per record).</summary>
    private sealed class ResolvedSerializer<T>(ISerializer<T> serializer)
    {
        public ISerializer<T> Plain { get; } = serializer;
        public IPassThroughSerializer<T>? PassThrough { get; } = serializer as IPassThroughSerializer<T>;
        public IBufferSerializer<T>? Buffer { get; } = serializer as IBufferSerializer<T>;
    }
}
