using AkkaLog.Broker.Metadata;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// The follower's side: append what the replica fetcher fetched from the leader of the current
/// leader epoch (anything from another epoch is refused: a zombie leader cannot write here), follow
/// the leader's high watermark and log start offset, and truncate when told.
/// </summary>
internal sealed partial class PartitionActor
{
    private void OnBecomeFollower(PartitionState state)
    {
        if (_state is not null && state.LeaderEpoch < partition.LeaderEpoch) return; // an older image: never demote on one
        Resign(ErrorCode.NotLeaderOrFollower);
        _state = state;
        partition.LeaderEpoch = state.LeaderEpoch;
    }

    private void OnFollowerAppend(PartitionMessage.FollowerAppend append)
    {
        if (partition.IsLeader || append.LeaderEpoch != partition.LeaderEpoch)
        {
            append.Reply.TrySetResult(ErrorCode.FencedLeaderEpoch);
            return;
        }
        try
        {
            var log = partition.Log;
            var records = append.Records.Span;
            long leo = log.LogEndOffset;
            while (records.Length >= RecordBatchHeader.Size && RecordBatchHeader.Read(records) is var h && h.NextOffset <= leo
                   && h.TotalSize <= records.Length)
                records = records[h.TotalSize..]; // already here (a refetch)
            int whole = 0;
            while (records.Length - whole >= RecordBatchHeader.Size)
            {
                var header = RecordBatchHeader.Read(records[whole..]);
                if (header.TotalSize > records.Length - whole) break; // a partial batch at the end of the response
                whole += header.TotalSize;
            }
            if (whole > 0)
            {
                var batches = records[..whole];
                // Starting past our end is fine: compaction leaves offset gaps. Starting below it means our log diverged.
                if (RecordBatchHeader.Read(batches).BaseOffset < leo)
                {
                    Logger.LogWarning("{Partition}: fetched batches start at {Offset}, below the log end {Leo}; truncating and refetching",
                        partition.Id, RecordBatchHeader.Read(batches).BaseOffset, leo);
                    append.Reply.TrySetResult(ErrorCode.OffsetOutOfRange);
                    return;
                }
                log.AppendAsFollower(batches);
                RecordProducers(batches);
                partition.SignalAppend();
            }
            long hw = Math.Min(append.LeaderHighWatermark, log.LogEndOffset);
            partition.AdvanceHighWatermark(hw);
            if (append.LeaderLogStartOffset > log.LogStartOffset && append.LeaderLogStartOffset <= partition.HighWatermark)
                log.DeleteRecordsBefore(append.LeaderLogStartOffset);
            append.Reply.TrySetResult(ErrorCode.None);
        }
        catch (IOException e)
        {
            Logger.LogError(e, "Follower append to {Partition} failed", partition.Id);
            append.Reply.TrySetResult(ErrorCode.KafkaStorageError);
        }
    }

    private void OnTruncate(PartitionMessage.Truncate truncate)
    {
        if (partition.IsLeader || truncate.LeaderEpoch != partition.LeaderEpoch)
        {
            truncate.Reply.TrySetResult(ErrorCode.FencedLeaderEpoch);
            return;
        }
        var log = partition.Log;
        try
        {
            if (truncate.Fully)
            {
                Logger.LogInformation("{Partition}: the leader's log starts at {Offset}; emptying the local log", partition.Id, truncate.Offset);
                log.TruncateFullyAndStartAt(truncate.Offset);
                _producers.Clear();
            }
            else if (truncate.Offset < log.LogEndOffset)
            {
                Logger.LogInformation("{Partition}: truncating from {Leo} to {Offset} to match the leader of epoch {Epoch}", partition.Id,
                    log.LogEndOffset, truncate.Offset, truncate.LeaderEpoch);
                log.TruncateTo(truncate.Offset);
                // The producers' batches that remain say where their sequences stand now (those cut away are forgotten).
                _producers.RebuildFrom(log);
            }
            if (partition.HighWatermark > log.LogEndOffset) partition.SetHighWatermark(log.LogEndOffset);
            truncate.Reply.TrySetResult(ErrorCode.None);
        }
        catch (IOException e)
        {
            Logger.LogError(e, "Truncating {Partition} failed", partition.Id);
            truncate.Reply.TrySetResult(ErrorCode.KafkaStorageError);
        }
    }
}
