using System.Collections.Concurrent;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// Runs delivery handlers off the sender: completed batches that carry handlers queue here and one
/// thread-pool work item at a time resolves them in completion order, so a producer's handlers never
/// run concurrently, and those of one partition run in offset order (as the Java client promises for
/// its callbacks). One work item serves a whole run of batches, not one per record.
/// </summary>
internal sealed class DeliveryDispatcher(Action<ProducerBatch> resolved) : IThreadPoolWorkItem
{
    private readonly ConcurrentQueue<ProducerBatch> _queue = new();
    private int _scheduled;

    /// <summary>Queues a settled batch for <see cref="ProducerBatch.Resolve"/>.</summary>
    public void Enqueue(ProducerBatch batch)
    {
        _queue.Enqueue(batch);
        if (Interlocked.Exchange(ref _scheduled, 1) == 0) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <inheritdoc />
    public void Execute()
    {
        while (true)
        {
            while (_queue.TryDequeue(out var batch))
            {
                batch.Resolve();
                resolved(batch);
            }
            Volatile.Write(ref _scheduled, 0);
            // A batch queued after the last TryDequeue but before the reset found _scheduled set: take it on.
            if (_queue.IsEmpty || Interlocked.Exchange(ref _scheduled, 1) != 0) return;
        }
    }
}
