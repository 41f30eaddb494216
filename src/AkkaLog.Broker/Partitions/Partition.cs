using AkkaLog.Actors;
using AkkaLog.Broker.Config;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// One hosted partition: its log, its actor (the only writer), the high watermark and a signal
/// that wakes long-polling fetches. Reads go straight to the log from any thread; the log only
/// ever exposes whole appended batches.
/// </summary>
public sealed class Partition
{
    private TaskCompletionSource? _dataWaiters;
    private long _highWatermark;

    internal Partition(TopicPartition id, Guid topicId, PartitionLog log, TopicSettings settings)
    {
        Id = id;
        TopicId = topicId;
        Log = log;
        Settings = settings;
        _highWatermark = log.LogEndOffset;
    }

    /// <summary>Topic and partition.</summary>
    public TopicPartition Id { get; }
    /// <summary>The topic's id.</summary>
    public Guid TopicId { get; }
    /// <summary>The partition's log.</summary>
    public PartitionLog Log { get; }
    /// <summary>The current effective topic settings.</summary>
    public TopicSettings Settings { get; internal set; }
    /// <summary>The partition's actor; set once after spawning.</summary>
    public ActorRef<PartitionMessage> Actor { get; internal set; } = null!;
    /// <summary>Leader epoch of this replica (0 on a single node).</summary>
    public int LeaderEpoch { get; internal set; }

    /// <summary>
    /// Offsets below this are committed and visible to consumers. On a single node every append
    /// is committed at once; replication will move it with the followers.
    /// </summary>
    public long HighWatermark => Volatile.Read(ref _highWatermark);

    internal void SetHighWatermark(long value) => Volatile.Write(ref _highWatermark, value);

    /// <summary>
    /// A task that completes at the next append. Take it before reading, then await it only if
    /// the read was short: an append between the two completes it, so no wake-up is lost.
    /// </summary>
    public Task NextAppend
    {
        get
        {
            var current = Volatile.Read(ref _dataWaiters);
            if (current is not null) return current.Task;
            var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return (Interlocked.CompareExchange(ref _dataWaiters, fresh, null) ?? fresh).Task;
        }
    }

    /// <summary>Wakes every waiting fetch (called by the actor after appends).</summary>
    internal void SignalAppend() => Interlocked.Exchange(ref _dataWaiters, null)?.TrySetResult();
}
