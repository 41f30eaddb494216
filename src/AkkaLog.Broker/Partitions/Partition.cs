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

    /// <summary>
    /// A hosted partition whose high watermark starts at <paramref name="checkpointedHighWatermark"/> (from the log dir's
    /// replication-offset-checkpoint, capped at the log end), or at the log end when none was checkpointed.
    /// </summary>
    internal Partition(TopicPartition id, Guid topicId, PartitionLog log, TopicSettings settings, long? checkpointedHighWatermark = null)
    {
        Id = id;
        TopicId = topicId;
        Log = log;
        Settings = settings;
        _highWatermark = Math.Min(checkpointedHighWatermark ?? long.MaxValue, log.LogEndOffset);
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
    private volatile int _leaderEpoch;
    private volatile bool _isLeader;
    private volatile int[] _isr = [];

    /// <summary>Leader epoch this replica last applied (0 on a single node).</summary>
    public int LeaderEpoch { get => _leaderEpoch; internal set => _leaderEpoch = value; }

    /// <summary>True while this replica is the partition's leader (only the leader serves produce and consumer fetches).</summary>
    public bool IsLeader { get => _isLeader; internal set => _isLeader = value; }

    /// <summary>The ISR the leader works with (committed plus a pending change); empty on followers.</summary>
    public int[] Isr { get => _isr; internal set => _isr = value; }

    /// <summary>The topic record last applied (by the replica manager only): a new one may carry new configs.</summary>
    internal Metadata.TopicMetadata? AppliedTopic { get; set; }

    /// <summary>The metadata state last handed to the actor (by the replica manager only).</summary>
    internal Metadata.PartitionState? AppliedState { get; set; }

    /// <summary>Set when the actor restarted and lost its role: the replica manager hands it the latest state again.</summary>
    internal volatile bool NeedsReapply;

    /// <summary>How many actor instances started (owned by the actor): more than one means a supervisor restart.</summary>
    internal int ActorStarts;

    /// <summary>
    /// Offsets below this are committed (on every in-sync replica) and visible to consumers. With one
    /// replica every append is committed at once; otherwise it moves as followers fetch.
    /// </summary>
    public long HighWatermark => Volatile.Read(ref _highWatermark);

    internal void SetHighWatermark(long value) => Volatile.Write(ref _highWatermark, value);

    /// <summary>Moves the high watermark forward only; true if it moved.</summary>
    internal bool AdvanceHighWatermark(long value)
    {
        if (value <= Volatile.Read(ref _highWatermark)) return false;
        Volatile.Write(ref _highWatermark, value);
        return true;
    }

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

    /// <summary>Wakes every waiting fetch (called by the actor after appends and high watermark moves).</summary>
    internal void SignalAppend() => Interlocked.Exchange(ref _dataWaiters, null)?.TrySetResult();
}
