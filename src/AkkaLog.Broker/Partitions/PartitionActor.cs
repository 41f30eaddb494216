using AkkaLog.Actors;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// The single writer of a partition's log, as leader or follower. Leader appends are
/// group-committed: the actor drains every append already queued, writes each, then moves the high
/// watermark and wakes waiting fetches once for the lot. acks=all appends wait here until the high
/// watermark passes them (see PartitionActor.Leader.cs). As follower it appends what the replica
/// fetcher brings and truncates when a new leader says so (PartitionActor.Follower.cs). Retention,
/// DeleteRecords and reconfiguration run here too, so they never race with an append.
/// </summary>
internal sealed partial class PartitionActor(Partition partition, ReplicationContext replication) : Actor<PartitionMessage>
{
    private readonly ProducerStateTable _producers = new();
    // The messages of the current turn, so that a failure answers every reply they carry (reused: no allocation per turn).
    private readonly List<PartitionMessage> _turn = [];

    protected override ValueTask ReceiveAsync(PartitionMessage message)
    {
        try
        {
            _turn.Add(message);
            if (message is PartitionMessage.Append first)
            {
                AppendOne(first);
                while (TryReceiveNext(out var next))
                {
                    _turn.Add(next);
                    if (next is PartitionMessage.Append append) AppendOne(append);
                    else Handle(next);
                }
                AfterAppends(); // once for the whole drained batch
                return ValueTask.CompletedTask;
            }
            Handle(message);
            return ValueTask.CompletedTask;
        }
        catch (Exception e)
        {
            // The supervisor restarts this actor; nobody must be left waiting for an answer that will never come
            // (a replica fetcher, the replica manager applying metadata, a producer).
            Logger.LogError(e, "{Partition}: partition actor failed; answering its pending requests and restarting", partition.Id);
            foreach (var m in _turn) AnswerFailed(m);
            throw;
        }
        finally
        {
            _turn.Clear();
        }
    }

    /// <summary>Answers a message whose handling failed (already answered ones keep their answer).</summary>
    private static void AnswerFailed(PartitionMessage message)
    {
        switch (message)
        {
            case PartitionMessage.Append a: a.Reply.TrySetResult(new AppendOutcome(ErrorCode.NotLeaderOrFollower, null)); break;
            case PartitionMessage.DeleteRecords d: d.Reply.TrySetResult((ErrorCode.NotLeaderOrFollower, -1)); break;
            case PartitionMessage.BecomeLeader b: b.Applied.TrySetResult(); break;
            case PartitionMessage.BecomeFollower b: b.Applied.TrySetResult(); break;
            case PartitionMessage.FollowerAppend f: f.Reply.TrySetResult(ErrorCode.NotLeaderOrFollower); break;
            case PartitionMessage.Truncate t: t.Reply.TrySetResult(ErrorCode.NotLeaderOrFollower); break;
        }
    }

    /// <summary>
    /// A fresh instance. After a supervisor restart the instance that knew this replica's role (leader state,
    /// follower progress, pending acks) is gone while <see cref="Partition.IsLeader"/> may still say "leader":
    /// nothing would drive it (no high watermark, no ISR changes, acks=all never answered). So the role is
    /// dropped and re-derived from the latest metadata image by the replica manager.
    /// </summary>
    protected override ValueTask PreStartAsync()
    {
        // Idempotent producers as the log knows them: a retry of a batch written before a broker restart
        // (or before this actor's restart) is recognised, not written twice.
        _producers.RebuildFrom(partition.Log);
        if (partition.ActorStarts++ == 0) return ValueTask.CompletedTask;
        bool wasLeader = partition.IsLeader;
        partition.IsLeader = false;
        partition.Isr = [];
        Logger.LogWarning("{Partition}: partition actor restarted after a failure; taking its role from the latest metadata again", partition.Id);
        if (wasLeader)
        {
            try { replication.LeadershipChanged(partition, false); }
            catch (Exception e) { Logger.LogError(e, "{Partition}: a leadership listener failed", partition.Id); }
        }
        replication.ActorRestarted(partition);
        return ValueTask.CompletedTask;
    }

    protected override ValueTask PostStopAsync()
    {
        FailPendingAcks(ErrorCode.NotLeaderOrFollower);
        return ValueTask.CompletedTask;
    }

    private void AppendOne(PartitionMessage.Append append)
    {
        try
        {
            if (!partition.IsLeader)
            {
                append.Reply.TrySetResult(new AppendOutcome(ErrorCode.NotLeaderOrFollower, null));
                return;
            }
            bool all = append.Acks == -1;
            // Kafka checks before writing: with too few in-sync replicas nothing is appended at all.
            if (all && partition.Isr.Length < partition.Settings.MinInsyncReplicas)
            {
                append.Reply.TrySetResult(new AppendOutcome(ErrorCode.NotEnoughReplicas, null));
                return;
            }
            if (append.Idempotent)
            {
                var (error, duplicate) = CheckProducers(append.Batches.Span);
                if (error != ErrorCode.None || duplicate is not null)
                {
                    if (duplicate is { } dup && all) AwaitCommit(append, dup);
                    else append.Reply.TrySetResult(new AppendOutcome(error, duplicate));
                    return;
                }
            }
            long? appendTime = partition.Settings.TimestampType == TimestampType.LogAppendTime
                ? TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()
                : null;
            var info = partition.Log.Append(append.Batches.Span, partition.LeaderEpoch, appendTime);
            if (append.Idempotent) RecordProducers(append.Batches.Span);
            if (all) AwaitCommit(append, info);
            else append.Reply.TrySetResult(new AppendOutcome(ErrorCode.None, info));
        }
        catch (IOException e)
        {
            Logger.LogError(e, "Append to {Partition} failed", partition.Id);
            append.Reply.TrySetResult(new AppendOutcome(ErrorCode.KafkaStorageError, null));
        }
    }

    /// <summary>
    /// Sequence checks for idempotent producers (producer id set). A request carrying one batch
    /// that was already written is answered with that batch's offsets and not written again.
    /// </summary>
    private (ErrorCode Error, LogAppendInfo? Duplicate) CheckProducers(ReadOnlySpan<byte> batches)
    {
        int count = 0;
        LogAppendInfo? duplicate = null;
        while (batches.Length >= RecordBatchHeader.Size)
        {
            var header = RecordBatchHeader.Read(batches);
            count++;
            if (header.ProducerId >= 0)
            {
                var error = _producers.Check(header, out var original);
                if (error != ErrorCode.None) return (error, null);
                if (original is { } o) duplicate = new LogAppendInfo(o.First, o.Last, -1, o.First, -1, 0, 0);
            }
            batches = batches[header.TotalSize..];
        }
        // A duplicate among several batches cannot be answered with one base offset; clients send one batch per partition.
        if (duplicate is not null && count > 1) return (ErrorCode.InvalidRecord, null);
        return (ErrorCode.None, duplicate);
    }

    /// <summary>
    /// Remembers the producers of written batches (their base offsets are stamped by now). Followers
    /// do it too, so a follower that becomes leader recognises a producer's retried batch.
    /// </summary>
    private void RecordProducers(ReadOnlySpan<byte> batches)
    {
        while (batches.Length >= RecordBatchHeader.Size)
        {
            var header = RecordBatchHeader.Read(batches);
            if (header.ProducerId >= 0) _producers.Record(header, header.BaseOffset);
            batches = batches[header.TotalSize..];
        }
    }

    private void Handle(PartitionMessage message)
    {
        switch (message)
        {
            case PartitionMessage.DeleteRecords delete:
                if (!partition.IsLeader)
                {
                    delete.Reply.TrySetResult((ErrorCode.NotLeaderOrFollower, -1));
                    break;
                }
                long target = delete.Offset < 0 ? partition.HighWatermark : delete.Offset;
                if (target > partition.HighWatermark)
                {
                    delete.Reply.TrySetResult((ErrorCode.OffsetOutOfRange, partition.Log.LogStartOffset));
                    break;
                }
                if (target > partition.Log.LogStartOffset) partition.Log.DeleteRecordsBefore(target);
                delete.Reply.TrySetResult((ErrorCode.None, partition.Log.LogStartOffset));
                break;
            case PartitionMessage.ApplyRetention:
                partition.Log.ApplyRetention(TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
                break;
            case PartitionMessage.Reconfigure reconfigure:
                partition.Settings = reconfigure.Settings;
                partition.Log.Config = reconfigure.Settings.Log;
                break;
            case PartitionMessage.Flush:
                partition.Log.Flush();
                break;
            case PartitionMessage.BecomeLeader become:
                OnBecomeLeader(become.State);
                become.Applied.TrySetResult();
                break;
            case PartitionMessage.BecomeFollower become:
                OnBecomeFollower(become.State);
                become.Applied.TrySetResult();
                break;
            case PartitionMessage.FollowerFetched fetched:
                OnFollowerFetched(fetched.ReplicaId, fetched.FetchOffset, fetched.Incarnation);
                break;
            case PartitionMessage.IsrChangeCompleted completed:
                OnIsrChangeCompleted(completed);
                break;
            case PartitionMessage.ReplicationTick:
                OnTick();
                break;
            case PartitionMessage.FollowerAppend append:
                OnFollowerAppend(append);
                break;
            case PartitionMessage.Truncate truncate:
                OnTruncate(truncate);
                break;
            case PartitionMessage.Resign:
                Resign(ErrorCode.NotLeaderOrFollower);
                break;
        }
    }
}
