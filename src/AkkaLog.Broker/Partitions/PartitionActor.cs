using AkkaLog.Actors;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// The single writer of a partition's log. Appends are group-committed: the actor drains every
/// append already queued, writes each, then advances the high watermark and wakes waiting
/// fetches once for the lot. Retention, DeleteRecords and reconfiguration run here too, so they
/// never race with an append.
/// </summary>
internal sealed class PartitionActor(Partition partition) : Actor<PartitionMessage>
{
    protected override ValueTask ReceiveAsync(PartitionMessage message)
    {
        if (message is PartitionMessage.Append first)
        {
            AppendOne(first);
            while (TryReceiveNext(out var next))
            {
                if (next is PartitionMessage.Append append) AppendOne(append);
                else Handle(next);
            }
            partition.SignalAppend(); // once for the whole drained batch
            return ValueTask.CompletedTask;
        }
        Handle(message);
        return ValueTask.CompletedTask;
    }

    private void AppendOne(PartitionMessage.Append append)
    {
        try
        {
            long? appendTime = partition.Settings.TimestampType == TimestampType.LogAppendTime
                ? TimeProvider.GetUtcNow().ToUnixTimeMilliseconds()
                : null;
            var info = partition.Log.Append(append.Batches.Span, partition.LeaderEpoch, appendTime);
            // Visible to readers as soon as it is written: single replica, so committed at once.
            partition.SetHighWatermark(partition.Log.LogEndOffset);
            append.Reply.TrySetResult(new AppendOutcome(ErrorCode.None, info));
        }
        catch (IOException e)
        {
            Logger.LogError(e, "Append to {Partition} failed", partition.Id);
            append.Reply.TrySetResult(new AppendOutcome(ErrorCode.KafkaStorageError, null));
        }
    }

    private void Handle(PartitionMessage message)
    {
        switch (message)
        {
            case PartitionMessage.DeleteRecords delete:
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
        }
    }
}
