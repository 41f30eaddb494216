using AkkaLog.Broker.Metadata;
using AkkaLog.Protocol;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Partitions;

/// <summary>Messages a <see cref="PartitionActor"/> understands.</summary>
public abstract record PartitionMessage
{
    private PartitionMessage() { }

    /// <summary>
    /// Append validated batches (the memory is the request frame's, patched in place), as leader.
    /// With <paramref name="Acks"/> -1 the reply waits until the high watermark passes the batches
    /// (every in-sync replica has them) or <paramref name="TimeoutMs"/> runs out.
    /// </summary>
    public sealed record Append(Memory<byte> Batches, TaskCompletionSource<AppendOutcome> Reply, bool Idempotent = false, short Acks = 1,
        int TimeoutMs = 30000) : PartitionMessage;

    /// <summary>Move the log start offset forward (DeleteRecords); replies with the new low watermark.</summary>
    public sealed record DeleteRecords(long Offset, TaskCompletionSource<(ErrorCode Error, long LowWatermark)> Reply) : PartitionMessage;

    /// <summary>Apply retention now.</summary>
    public sealed record ApplyRetention : PartitionMessage;

    /// <summary>New topic settings after AlterConfigs.</summary>
    public sealed record Reconfigure(Config.TopicSettings Settings) : PartitionMessage;

    /// <summary>Flush to disk (periodic time-based flush, shutdown).</summary>
    public sealed record Flush : PartitionMessage;

    /// <summary>Lead the partition with this state (a new leader epoch, or the same epoch with a new ISR).</summary>
    public sealed record BecomeLeader(PartitionState State, TaskCompletionSource Applied) : PartitionMessage;

    /// <summary>Follow the state's leader (fetching is the replica fetcher's job).</summary>
    public sealed record BecomeFollower(PartitionState State, TaskCompletionSource Applied) : PartitionMessage;

    /// <summary>
    /// A follower fetched from <paramref name="FetchOffset"/>: that is its log end offset, which may
    /// move the high watermark or let it rejoin the ISR (leader only). <paramref name="Incarnation"/> is the
    /// follower's registration the fetch came from (KIP-903; 0 when unknown): it is recorded when the follower joins the ISR.
    /// </summary>
    public sealed record FollowerFetched(int ReplicaId, long FetchOffset, long Incarnation = 0) : PartitionMessage;

    /// <summary>
    /// Batches fetched from the leader of <paramref name="LeaderEpoch"/>, to append as they are
    /// (follower only; an empty <paramref name="Records"/> just carries the leader's high watermark).
    /// </summary>
    public sealed record FollowerAppend(ReadOnlyMemory<byte> Records, long LeaderHighWatermark, long LeaderLogStartOffset, int LeaderEpoch,
        TaskCompletionSource<ErrorCode> Reply) : PartitionMessage;

    /// <summary>
    /// Follower truncation before fetching from a new leader: cut the log at <paramref name="Offset"/>
    /// (or, with <paramref name="Fully"/>, empty it and restart there, when the leader's log starts later).
    /// </summary>
    public sealed record Truncate(long Offset, bool Fully, int LeaderEpoch, TaskCompletionSource<ErrorCode> Reply) : PartitionMessage;

    /// <summary>The outcome of this leader's ISR change request (its own compare-and-swap in the store).</summary>
    public sealed record IsrChangeCompleted(PartitionState Proposed, bool Succeeded, PartitionState? Latest) : PartitionMessage;

    /// <summary>Timer: ISR lag checks and acks=all timeouts (leader only).</summary>
    public sealed record ReplicationTick : PartitionMessage;

    /// <summary>The replica is being removed: answer everything waiting.</summary>
    public sealed record Resign : PartitionMessage;
}

/// <summary>Result of an append: an error, or the offsets assigned.</summary>
/// <param name="Error">NONE or why the append failed.</param>
/// <param name="Info">Offsets and timestamps assigned (when successful).</param>
public readonly record struct AppendOutcome(ErrorCode Error, LogAppendInfo? Info);
