using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// The one sink for every record sent with <c>Produce</c>: the batch hands back each record's message
/// and handler, and this builds the <see cref="DeliveryReport{TKey, TValue}"/> and calls the handler.
/// A handler that throws does not stop the others; its exception is traced.
/// </summary>
internal sealed class DeliveryReports<TKey, TValue>(string producerName) : IDeliveryCompletion
{
    public void Succeeded(string topic, int partition, long offset, Timestamp timestamp, PersistenceStatus status, object? message, object? handler)
    {
        if (handler is not Action<DeliveryReport<TKey, TValue>> deliver) return;
        var m = (Message<TKey, TValue>)message!;
        Invoke(deliver, new DeliveryReport<TKey, TValue>
        {
            Topic = topic, Partition = partition, Offset = offset, Message = m, Status = status, Timestamp = timestamp,
        });
    }

    public void Failed(string topic, int partition, Error error, object? message, object? handler)
    {
        if (handler is not Action<DeliveryReport<TKey, TValue>> deliver) return;
        var m = (Message<TKey, TValue>)message!;
        Invoke(deliver, new DeliveryReport<TKey, TValue>
        {
            Topic = topic, Partition = partition, Offset = Offset.Unset, Message = m, Status = PersistenceStatus.NotPersisted,
            Timestamp = m.Timestamp, Error = error,
        });
    }

    private void Invoke(Action<DeliveryReport<TKey, TValue>> handler, DeliveryReport<TKey, TValue> report)
    {
        try
        {
            handler(report);
        }
        catch (Exception e)
        {
            System.Diagnostics.Trace.TraceError($"akkalog producer {producerName}: a delivery handler threw: {e}");
        }
    }
}
