namespace AkkaLog.Client;

/// <summary>
/// Sends records to topics. Thread-safe: any number of threads may call <see cref="ProduceAsync(string, Message{TKey, TValue}, CancellationToken)"/>
/// at once. Records to one partition are batched (batch.size, linger.ms), compressed (compression.type)
/// and sent by a background sender; the returned task completes when the broker acknowledged the record
/// (acks), or faults with <see cref="ProduceException{TKey, TValue}"/> once retriable errors have been
/// retried until delivery.timeout.ms. Dispose flushes first.
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public interface IProducer<TKey, TValue> : IDisposable, IAsyncDisposable
{
    /// <summary>The client id, or a generated name when client.id is empty.</summary>
    string Name { get; }

    /// <summary>
    /// Queues <paramref name="message"/> for <paramref name="topic"/> (partition chosen by the partitioner) and
    /// completes with where it landed. Waits up to max.block.ms for topic metadata and buffer space
    /// (buffer.memory) before faulting; <paramref name="cancellationToken"/> cancels only that wait, not a
    /// record already queued.
    /// </summary>
    Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="ProduceAsync(string, Message{TKey, TValue}, CancellationToken)"/>, to a given partition (or <see cref="Partition.Any"/>).</summary>
    Task<DeliveryResult<TKey, TValue>> ProduceAsync(TopicPartition topicPartition, Message<TKey, TValue> message,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Queues <paramref name="message"/> for <paramref name="topic"/> and returns once it is in a batch; the
    /// fast path for high volumes (no task per record). Like the Java client's <c>send</c>, it blocks
    /// the calling thread up to max.block.ms while topic metadata or buffer space (buffer.memory) is
    /// missing, which is the back-pressure a tight loop needs. <paramref name="deliveryHandler"/>, if
    /// given, is called once with the outcome, on a thread-pool thread; a producer's handlers never run
    /// concurrently, and those for one partition run in offset order. Keep handlers short: they delay
    /// the ones after them. Throws <see cref="ProduceException{TKey, TValue}"/> when the record cannot be
    /// queued (serialization, size, no metadata or memory in time).
    /// </summary>
    void Produce(string topic, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null);

    /// <summary>As <see cref="Produce(string, Message{TKey, TValue}, Action{DeliveryReport{TKey, TValue}}?)"/>, to a given partition (or <see cref="Partition.Any"/>).</summary>
    void Produce(TopicPartition topicPartition, Message<TKey, TValue> message, Action<DeliveryReport<TKey, TValue>>? deliveryHandler = null);

    /// <summary>Sends every queued record now, ignoring linger.ms, and waits up to <paramref name="timeout"/>; returns how many records are still undelivered.</summary>
    int Flush(TimeSpan timeout);

    /// <summary>Sends every queued record now and waits until all have a delivery result.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
