using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// One record's pending delivery: the task ProduceAsync returned, and what its result needs (topic,
/// message). Being the TaskCompletionSource itself saves an object per record. Continuations run
/// asynchronously so user code never runs on the sender.
/// </summary>
internal sealed class DeliveryCompletion<TKey, TValue>(string topic, Message<TKey, TValue> message)
    : TaskCompletionSource<DeliveryResult<TKey, TValue>>(TaskCreationOptions.RunContinuationsAsynchronously), IDeliveryCompletion
{
    public void Succeeded(string unusedTopic, int partition, long offset, Timestamp timestamp, PersistenceStatus status, object? unusedMessage, object? unusedHandler)
    {
        TrySetResult(new DeliveryResult<TKey, TValue>
        {
            Topic = topic, Partition = partition, Offset = offset, Message = message, Status = status, Timestamp = timestamp,
        });
    }

    public void Failed(string unusedTopic, int partition, Error error, object? unusedMessage, object? unusedHandler)
    {
        TrySetException(Failure(topic, partition, message, error));
    }

    /// <summary>Fails the record before it was queued (metadata, memory, partition) or cancels it.</summary>
    public void Failed(int partition, Exception e)
    {
        if (e is OperationCanceledException oce) TrySetCanceled(oce.CancellationToken);
        else TrySetException(Failure(topic, partition, message, e));
    }

    /// <summary>The exception a failed record's task carries.</summary>
    public static ProduceException<TKey, TValue> Failure(string topic, int partition, Message<TKey, TValue> message, Error error,
        Exception? inner = null) =>
        new(error, new DeliveryResult<TKey, TValue>
        {
            Topic = topic, Partition = partition, Offset = Offset.Unset, Message = message,
            Status = PersistenceStatus.NotPersisted, Timestamp = message.Timestamp,
        }, inner);

    /// <summary>The exception for a failure before the record was queued (metadata, size, serialization).</summary>
    public static ProduceException<TKey, TValue> Failure(string topic, int partition, Message<TKey, TValue> message, Exception e) =>
        e switch
        {
            ProduceException<TKey, TValue> p => p,
            KafkaException k => Failure(topic, partition, message, k.Error, k),
            TimeoutException => Failure(topic, partition, message,
                new Error(ErrorCode.RequestTimedOut, $"no buffer.memory space within max.block.ms: {e.Message}"), e),
            _ => Failure(topic, partition, message, new Error(ErrorCode.InvalidRecord, e.Message), e),
        };
}
