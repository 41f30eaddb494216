using System.Collections.Concurrent;
using AkkaLog.Client.Internal.Metadata;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// Per-partition queues of <see cref="ProducerBatch"/>es between ProduceAsync and the sender.
/// Records append to the newest open batch of their partition; the sender drains a partition's
/// oldest batch once it is full, has lingered linger.ms, a flush or close wants everything out, or
/// (for a retry) its backoff has passed. A retried batch goes back to the front of its queue so it
/// leaves before younger ones. Each queue has its own lock; looking a queue up takes none.
/// </summary>
internal sealed class RecordAccumulator(CompressionCodec codec, int batchSize, long lingerMs, long deliveryTimeoutMs,
    Idempotence? idempotence = null)
{
    private readonly ConcurrentDictionary<(string Topic, int Partition), PartitionQueue> _queues = new();
    private readonly Lock _queuesLock = new();
    private PartitionQueue[] _all = [];
    private readonly HashSet<ProducerBatch> _incomplete = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _incompleteLock = new();
    private DeliveryDispatcher? _dispatcher;
    private TaskCompletionSource _allFinished = Completed();
    private int _flushing;

    /// <summary>True while a flush (or close) asks for every batch to go now, lingering or not.</summary>
    public bool Flushing => Volatile.Read(ref _flushing) > 0;

    /// <summary>
    /// Appends a record; returns true when the sender should look again (a batch was started or
    /// filled), false when the record joined a batch that is still lingering.
    /// </summary>
    public bool Append(string topic, int partition, long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull,
        ReadOnlySpan<byte> value, bool valueIsNull, ReadOnlySpan<RecordHeader> headers, int recordSize, IDeliveryCompletion completion,
        object? message = null, object? handler = null)
    {
        var queue = QueueFor(topic, partition);
        lock (queue.Sync)
        {
            var last = queue.Batches.Count > 0 ? queue.Batches[^1] : null;
            if (last is not null && last.TryAppend(timestampMs, key, keyIsNull, value, valueIsNull, headers, recordSize, completion, message, handler))
                return last.IsFull;
            var batch = new ProducerBatch(topic, partition, codec, batchSize, Environment.TickCount64, Dispatcher);
            if (!batch.TryAppend(timestampMs, key, keyIsNull, value, valueIsNull, headers, recordSize, completion, message, handler))
                throw new InvalidOperationException("an empty batch refused a record");
            lock (_incompleteLock)
            {
                if (_incomplete.Count == 0) _allFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _incomplete.Add(batch);
            }
            queue.Batches.Add(batch);
            return true;
        }
    }

    /// <summary>
    /// Takes the batches that are ready and whose leader can take a request, grouped by leader;
    /// at most one batch per partition and <paramref name="maxRequestSize"/> bytes per broker.
    /// Also reports when the next batch becomes ready and whether a batch waits for fresh metadata (leader unknown,
    /// or a retry after a stale-metadata error).
    /// </summary>
    public Dictionary<int, List<ProducerBatch>> Drain(ClusterMetadata metadata, Func<int, bool> canSendTo, int maxRequestSize,
        long now, out long nextCheckTicks, out bool needsMetadata)
    {
        var ready = new Dictionary<int, List<ProducerBatch>>();
        var sizes = new Dictionary<int, int>();
        nextCheckTicks = long.MaxValue;
        needsMetadata = false;
        bool flushing = Flushing;
        foreach (var queue in Snapshot())
        {
            lock (queue.Sync)
            {
                if (queue.Batches.Count == 0) continue;
                var head = queue.Batches[0];
                int leader = metadata.LeaderOf(queue.Topic, queue.Partition);
                // A retry waits out its backoff, unless the partition has a new leader by now (KIP-951):
                // the backoff was for the old one.
                long readyAt = head.Attempts > 0 ? (leader >= 0 && leader != head.LastLeader ? now : head.RetryAtTicks)
                    : flushing || head.IsFull || queue.Batches.Count > 1 ? now
                    : head.CreatedTicks + lingerMs;
                if (readyAt > now)
                {
                    nextCheckTicks = Math.Min(nextCheckTicks, readyAt);
                    continue;
                }
                if (leader < 0 || head.AwaitsMetadataAfterTicks >= metadata.FetchedAtTicks)
                {
                    needsMetadata = true;
                    continue;
                }
                if (!canSendTo(leader)) continue;
                // A sealed batch (a retry) knows its size; an open one's uncompressed size bounds it.
                int size = head.IsSealed ? head.Encoded.Length : head.EstimatedSize;
                sizes.TryGetValue(leader, out int used);
                if (used > 0 && used + size > maxRequestSize)
                {
                    nextCheckTicks = now;
                    continue;
                }
                // Idempotence may hold the batch back (no producer id yet, or ordering) or give it its sequence.
                if (idempotence is not null && !idempotence.TryClaim(head))
                {
                    needsMetadata |= idempotence.IdentityWanted is not null;
                    continue;
                }
                sizes[leader] = used + size;
                head.LastLeader = leader;
                queue.Batches.RemoveAt(0);
                if (!ready.TryGetValue(leader, out var list)) ready[leader] = list = new List<ProducerBatch>();
                list.Add(head);
            }
        }
        // Encoding (CRC over the whole batch) happens outside the queue's lock: out of the queue, no
        // record can join these batches any more, and appends to the partition need not wait for it.
        foreach (var list in ready.Values)
        {
            foreach (var batch in list) batch.Seal();
        }
        return ready;
    }

    /// <summary>Puts a batch that failed retriably back at the front of its queue (behind older ones), to leave at <paramref name="retryAtTicks"/>.</summary>
    public void Requeue(ProducerBatch batch, long retryAtTicks)
    {
        batch.RetryAtTicks = retryAtTicks;
        var queue = QueueFor(batch.Topic, batch.Partition);
        lock (queue.Sync)
        {
            // Several batches of a partition may come back out of order (one request failed, a later
            // one was refused as out of sequence): each returns to its place by creation order.
            queue.Batches.Insert(PlaceOf(queue, batch.Order), batch);
        }
    }

    /// <summary>Where a batch created as number <paramref name="order"/> belongs in the queue: after every older batch.</summary>
    private static int PlaceOf(PartitionQueue queue, long order)
    {
        int at = 0;
        while (at < queue.Batches.Count && queue.Batches[at].Order < order) at++;
        return at;
    }

    /// <summary>
    /// Puts the two halves of a split batch at the front of its queue, first half first, to leave at
    /// once; the original no longer counts as unfinished.
    /// </summary>
    public void ReplaceWithSplit(ProducerBatch original, ProducerBatch first, ProducerBatch second)
    {
        lock (_incompleteLock)
        {
            _incomplete.Add(first);
            _incomplete.Add(second);
        }
        var queue = QueueFor(original.Topic, original.Partition);
        lock (queue.Sync) queue.Batches.InsertRange(PlaceOf(queue, first.Order), [first, second]);
        Finished(original);
    }

    /// <summary>Removes and returns queued batches older than delivery.timeout.ms (not those in flight).</summary>
    public List<ProducerBatch> TakeExpired(long now)
    {
        List<ProducerBatch>? expired = null;
        foreach (var queue in Snapshot())
        {
            lock (queue.Sync)
            {
                while (queue.Batches.Count > 0 && now - queue.Batches[0].CreatedTicks >= deliveryTimeoutMs)
                {
                    (expired ??= new()).Add(queue.Batches[0]);
                    queue.Batches.RemoveAt(0);
                }
            }
        }
        return expired ?? [];
    }

    /// <summary>Removes every queued batch (on close without flushing).</summary>
    public List<ProducerBatch> TakeAll()
    {
        var all = new List<ProducerBatch>();
        foreach (var queue in Snapshot())
        {
            lock (queue.Sync)
            {
                all.AddRange(queue.Batches);
                queue.Batches.Clear();
            }
        }
        return all;
    }

    /// <summary>Where batches with delivery handlers are resolved; it marks them finished afterwards.</summary>
    private DeliveryDispatcher Dispatcher =>
        _dispatcher ?? Interlocked.CompareExchange(ref _dispatcher, new DeliveryDispatcher(Finished), null) ?? _dispatcher!;

    /// <summary>
    /// Marks a batch finished (delivered or failed, every record told) for <see cref="WhenAllFinished"/>:
    /// by the sender for batches it resolved, by the dispatcher for the others.
    /// </summary>
    public void Finished(ProducerBatch batch)
    {
        lock (_incompleteLock)
        {
            if (_incomplete.Remove(batch) && _incomplete.Count == 0) _allFinished.TrySetResult();
        }
    }

    /// <summary>Batches appended and not yet finished.</summary>
    public int IncompleteCount
    {
        get { lock (_incompleteLock) return _incomplete.Count; }
    }

    /// <summary>Records in batches not yet finished (for Flush's answer; walks the unfinished batches).</summary>
    public long UnfinishedRecords
    {
        get
        {
            lock (_incompleteLock)
            {
                long records = 0;
                foreach (var batch in _incomplete) records += batch.Count;
                return records;
            }
        }
    }

    /// <summary>Completes when no batch is unfinished (a flush waits on this).</summary>
    public Task WhenAllFinished
    {
        get { lock (_incompleteLock) return _allFinished.Task; }
    }

    /// <summary>Starts a flush: every batch is ready regardless of linger until <see cref="EndFlush"/>.</summary>
    public void BeginFlush() => Interlocked.Increment(ref _flushing);

    /// <summary>Ends a flush started with <see cref="BeginFlush"/>.</summary>
    public void EndFlush() => Interlocked.Decrement(ref _flushing);

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    /// <summary>The partition's queue; lock-free once it exists (the common case, once per record).</summary>
    private PartitionQueue QueueFor(string topic, int partition)
    {
        if (_queues.TryGetValue((topic, partition), out var q)) return q;
        lock (_queuesLock)
        {
            if (_queues.TryGetValue((topic, partition), out q)) return q;
            q = new PartitionQueue(topic, partition);
            _queues[(topic, partition)] = q;
            _all = [.. _all, q];
            return q;
        }
    }

    /// <summary>Every queue so far, for the sender; replaced (not changed) when a queue is added.</summary>
    private PartitionQueue[] Snapshot() => Volatile.Read(ref _all);

    /// <summary>One partition's batches, oldest first. Hold <see cref="Sync"/> to touch <see cref="Batches"/>.</summary>
    private sealed class PartitionQueue(string topic, int partition)
    {
        public string Topic { get; } = topic;
        public int Partition { get; } = partition;
        public Lock Sync { get; } = new();
        public List<ProducerBatch> Batches { get; } = new();
    }
}
