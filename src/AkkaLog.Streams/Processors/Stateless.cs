namespace AkkaLog.Streams.Internal;

/// <summary>A stage written as a delegate (map, filter, flat-map, peek, branch: one line each).</summary>
internal sealed class LambdaProcessor<TKey, TValue>(Action<TKey, TValue, long> process) : IProcessor<TKey, TValue>
{
    public void Process(TKey key, TValue value, long timestamp) => process(key, value, timestamp);
}

/// <summary>Serializes and sends records to a topic (a user topic or a repartition topic), keeping their timestamps.</summary>
internal sealed class SinkProcessor<TKey, TValue>(TaskContext context, string topic, Serde<TKey> keySerde, Serde<TValue> valueSerde, bool dropNullKeys)
    : IProcessor<TKey, TValue>
{
    public void Process(TKey key, TValue value, long timestamp)
    {
        if (dropNullKeys && key is null) return;
        context.Collector.Send(topic, keySerde.Serialize(key), valueSerde.Serialize(value), timestamp);
    }
}

/// <summary>Calls an async function per record; the loop waits for it before the next record of the task (back-pressure).</summary>
internal sealed class AsyncSinkProcessor<TKey, TValue>(TaskContext context, Func<TKey, TValue, CancellationToken, Task> action) : IProcessor<TKey, TValue>
{
    public void Process(TKey key, TValue value, long timestamp)
    {
        var task = action(key, value, context.Stopping);
        if (!task.IsCompletedSuccessfully) context.PendingAsync.Add(task);
    }
}
