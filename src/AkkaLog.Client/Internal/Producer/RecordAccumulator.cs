using System.Buffers;
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
/// leaves before younger ones. Each queue has its own lock; looking a queue up takes none. Batches
/// build their records in <paramref name="buffers"/> (the shared pool when null). With
/// <paramref name="oneInFlightPerPartition"/> (max.in.flight.requests.per.connection=1, as Java's
/// guaranteeMessageOrder) a partition sends nothing more while one of its batches is unanswered: the
/// per-connection limit alone lets a younger batch go to a new leader while an older one is still out
/// to the old leader, and that one's retry then lands behind it.
/// </summary>
internal sealed partial class RecordAccumulator(CompressionCodec codec, int batchSize, long lingerMs, long deliveryTimeoutMs,
    Idempotence? idempotence = null, ArrayPool<byte>? buffers = null, bool oneInFlightPerPartition = false)
{
    private readonly ConcurrentDictionary<string, TopicQueues> _topics = new(StringComparer.Ordinal);
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
        object? message = null, object? handler = null) =>
        Append(QueuesOf(topic), partition, timestampMs, key, keyIsNull, value, valueIsNull, headers, recordSize, completion, message, handler);

    /// <summary>
    /// <see cref="Append(string, int, long, ReadOnlySpan{byte}, bool, ReadOnlySpan{byte}, bool, ReadOnlySpan{RecordHeader}, int, IDeliveryCompletion, object?, object?)"/>
    /// for a caller that kept the topic's <see cref="TopicQueues"/> (the producer, per record: no lookup by name).
    /// </summary>
    public bool Append(TopicQueues topic, int partition, long timestampMs, ReadOnlySpan<byte> key, bool keyIsNull,
        ReadOnlySpan<byte> value, bool valueIsNull, ReadOnlySpan<RecordHeader> headers, int recordSize, IDeliveryCompletion completion,
        object? message = null, object? handler = null)
    {
        var queue = topic.For(partition) ?? AddQueue(topic, partition);
        using (queue.Sync.Hold())
        {
            var last = queue.Last;
            if (last is not null && last.TryAppend(timestampMs, key, keyIsNull, value, valueIsNull, headers, recordSize, completion, message, handler))
                return last.IsFull;
            var batch = new ProducerBatch(topic.Name, partition, codec, batchSize, Environment.TickCount64, Dispatcher,
                expectedRecords: batchSize / Math.Max(recordSize, 1), buffers: buffers);
            if (!batch.TryAppend(timestampMs, key, keyIsNull, value, valueIsNull, headers, recordSize, completion, message, handler))
                throw new InvalidOperationException("an empty batch refused a record");
            lock (_incompleteLock)
            {
                if (_incomplete.Count == 0) _allFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
                _incomplete.Add(batch);
            }
            queue.Add(batch);
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
            // Look without the lock first: the producer appends under it all the time, and a
            // partition whose only batch still lingers is the common case. Stale looks are harmless:
            // a batch that starts or fills wakes the sender, which then looks again.
            if (queue.CountHint == 0 || queue.HeadHint is not { } hint) continue;
            if (hint.Attempts == 0 && FirstSendAt(hint, queue.CountHint, flushing, now) is var lingersUntil && lingersUntil > now)
            {
                nextCheckTicks = Math.Min(nextCheckTicks, lingersUntil);
                continue;
            }
            using (queue.Sync.Hold())
            {
                if (queue.Count == 0 || queue.Muted) continue;
                var head = queue.Head;
                int leader = metadata.LeaderOf(queue.Topic, queue.Partition);
                // A retry waits out its backoff, unless the partition has a new leader by now (KIP-951):
                // the backoff was for the old one.
                long readyAt = head.Attempts > 0 ? (leader >= 0 && leader != head.LastLeader ? now : head.RetryAtTicks)
                    : FirstSendAt(head, queue.Count, flushing, now);
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
                queue.RemoveHead();
                queue.Muted = oneInFlightPerPartition;
                if (!ready.TryGetValue(leader, out var list)) ready[leader] = list = new List<ProducerBatch>();
                list.Add(head);
                // A request carries one batch per partition: more queued here may go in the next request
                // at once, while the connection has room in flight, not only after a response wakes the sender.
                if (queue.Count > 0) nextCheckTicks = now;
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

    /// <summary>
    /// When a partition's oldest batch, not yet sent, may go: now if a flush wants everything, it is full
    /// or others queue behind it; otherwise when its linger.ms ends.
    /// </summary>
    private long FirstSendAt(ProducerBatch head, int queued, bool flushing, long now) =>
        flushing || head.IsFull || queued > 1 ? now : head.CreatedTicks + lingerMs;

    /// <summary>
    /// The request carrying <paramref name="batch"/> has been answered (or failed) and the batch settled or
    /// requeued: its partition may send again. Only matters with one batch in flight per partition.
    /// </summary>
    public void Answered(ProducerBatch batch)
    {
        if (!oneInFlightPerPartition) return;
        var queue = QueueFor(batch.Topic, batch.Partition);
        using (queue.Sync.Hold()) queue.Muted = false;
    }

    /// <summary>Puts a batch that failed retriably back at the front of its queue (behind older ones), to leave at <paramref name="retryAtTicks"/>.</summary>
    public void Requeue(ProducerBatch batch, long retryAtTicks)
    {
        batch.RetryAtTicks = retryAtTicks;
        var queue = QueueFor(batch.Topic, batch.Partition);
        using (queue.Sync.Hold())
        {
            // Several batches of a partition may come back out of order (one request failed, a later
            // one was refused as out of sequence): each returns to its place by creation order.
            queue.Insert(queue.PlaceOf(batch.Order), batch);
        }
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
        using (queue.Sync.Hold())
        {
            int at = queue.PlaceOf(first.Order);
            queue.Insert(at, first);
            queue.Insert(at + 1, second);
        }
        Finished(original);
    }

    /// <summary>Removes and returns queued batches older than delivery.timeout.ms (not those in flight).</summary>
    public List<ProducerBatch> TakeExpired(long now)
    {
        List<ProducerBatch>? expired = null;
        foreach (var queue in Snapshot())
        {
            // Batches are queued oldest first: a young head (read without the lock) means nothing expired.
            if (queue.HeadHint is not { } hint || now - hint.CreatedTicks < deliveryTimeoutMs) continue;
            using (queue.Sync.Hold())
            {
                while (queue.Count > 0 && now - queue.Head.CreatedTicks >= deliveryTimeoutMs)
                    (expired ??= new()).Add(queue.RemoveHead());
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
            using (queue.Sync.Hold())
            {
                while (queue.Count > 0) all.Add(queue.RemoveHead());
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

    /// <summary>The topic's queues, created on first use; the producer keeps the answer per topic.</summary>
    public TopicQueues QueuesOf(string topic) => _topics.GetOrAdd(topic, static t => new TopicQueues(t));

    /// <summary>The partition's queue (for the sender's rarer paths: requeue, split).</summary>
    private PartitionQueue QueueFor(string topic, int partition)
    {
        var queues = QueuesOf(topic);
        return queues.For(partition) ?? AddQueue(queues, partition);
    }

    private PartitionQueue AddQueue(TopicQueues topic, int partition)
    {
        lock (_queuesLock)
        {
            if (topic.For(partition) is { } existing) return existing;
            var queue = new PartitionQueue(topic.Name, partition);
            topic.Add(queue);
            _all = [.. _all, queue];
            return queue;
        }
    }

    /// <summary>Every queue so far, for the sender; replaced (not changed) when a queue is added.</summary>
    private PartitionQueue[] Snapshot() => Volatile.Read(ref _all);

    /// <summary>
    /// One topic's partition queues, indexed by partition. Reading takes no lock (the array is
    /// replaced, never changed, when a queue is added), so a producer that keeps this object finds a
    /// partition's queue with an array index instead of a lookup by name per record.
    /// </summary>
    internal sealed class TopicQueues(string name)
    {
        private PartitionQueue?[] _byPartition = [];

        public string Name { get; } = name;

        /// <summary>The partition's queue, or null before its first record.</summary>
        public PartitionQueue? For(int partition)
        {
            var all = Volatile.Read(ref _byPartition);
            return (uint)partition < (uint)all.Length ? all[partition] : null;
        }

        /// <summary>Adds a queue; callers hold the accumulator's lock for adding queues.</summary>
        public void Add(PartitionQueue queue)
        {
            var all = _byPartition;
            var grown = new PartitionQueue?[Math.Max(all.Length, queue.Partition + 1)];
            all.CopyTo(grown, 0);
            grown[queue.Partition] = queue;
            Volatile.Write(ref _byPartition, grown);
        }
    }
}
