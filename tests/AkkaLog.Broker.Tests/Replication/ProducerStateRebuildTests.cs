using AkkaLog.Actors;
using AkkaLog.Actors.Tests;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace AkkaLog.Broker.Tests.Replication;

/// <summary>
/// Idempotent-producer state comes back from the log: after a broker restart and after a follower's
/// truncation, a producer's retry of a batch still in the log is answered with the original offsets
/// instead of being written a second time, and a retry of a batch the truncation removed is written.
/// </summary>
public sealed class ProducerStateRebuildTests : IAsyncDisposable
{
    private static readonly TopicPartition Tp = OnePartitionBroker.Tp;
    private const long ProducerId = 7;
    private readonly OnePartitionBroker _broker = new("pstate");

    private Task<Partition> OpenAsync(PartitionState? create = null) => _broker.OpenAsync(create);

    private Task CloseAsync() => _broker.CloseAsync();

    /// <summary>The same bytes each time, as a producer resends a batch.</summary>
    private static byte[] Idempotent(int sequence, int records = 1)
    {
        using var builder = new RecordBatchBuilder();
        for (int i = 0; i < records; i++) builder.Append(1_700_000_000_000, "k"u8, System.Text.Encoding.UTF8.GetBytes($"seq-{sequence}-{i}"));
        return builder.ToArray(ProducerId, producerEpoch: 0, baseSequence: sequence);
    }

    private static async Task<AppendOutcome> ProduceAsync(Partition p, byte[] batch)
    {
        var reply = new TaskCompletionSource<AppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(p.Actor.Tell(new PartitionMessage.Append(batch, reply, Idempotent: true, Acks: 1)));
        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_retry_after_a_broker_restart_is_not_written_twice()
    {
        var p = await OpenAsync(PartitionState.SingleReplica(1));
        Assert.Equal(0, (await ProduceAsync(p, Idempotent(0, records: 2))).Info!.Value.FirstOffset);
        Assert.Equal(2, (await ProduceAsync(p, Idempotent(2))).Info!.Value.FirstOffset);
        await CloseAsync();

        p = await OpenAsync();
        Assert.Equal(3, p.Log.LogEndOffset);
        // The answer to the last batch was lost in the restart: the producer sends it again.
        var retry = await ProduceAsync(p, Idempotent(2));
        Assert.Equal(ErrorCode.None, retry.Error);
        Assert.Equal(2, retry.Info!.Value.FirstOffset);
        Assert.Equal(3, p.Log.LogEndOffset);
        // The sequence goes on from where the log says it stands.
        Assert.Equal(ErrorCode.OutOfOrderSequenceNumber, (await ProduceAsync(p, Idempotent(5))).Error);
        Assert.Equal(3, (await ProduceAsync(p, Idempotent(3))).Info!.Value.FirstOffset);
    }

    [Fact]
    public async Task A_follower_that_truncated_and_then_leads_recognises_retries_of_what_it_kept()
    {
        var p = await OpenAsync(new PartitionState { Replicas = [1, 2], Leader = 2, LeaderEpoch = 5, Isr = [1, 2], PartitionEpoch = 0 });
        Assert.False(p.IsLeader);
        // Replicated from leader 2 (epoch 5): sequence 0 at offset 0, sequence 1 at offset 1.
        byte[] fetched = [.. Fetched(Idempotent(0), 0), .. Fetched(Idempotent(1), 1)];
        var appended = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(p.Actor.Tell(new PartitionMessage.FollowerAppend(fetched, 0, 0, 5, appended)));
        Assert.Equal(ErrorCode.None, await appended.Task);
        // A new leader never had offset 1: truncate there.
        var truncated = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(p.Actor.Tell(new PartitionMessage.Truncate(1, false, 5, truncated)));
        Assert.Equal(ErrorCode.None, await truncated.Task);
        Assert.Equal(1, p.Log.LogEndOffset);

        // Then this broker is elected leader, and the producer retries both batches.
        var state = _broker.Store.Current.Partitions[Tp];
        Assert.True(await _broker.Store.TryUpdatePartitionAsync(Tp, state, state with { Leader = 1, LeaderEpoch = 6, PartitionEpoch = 1 }, false, default));
        await _broker.Replicas.ApplyLatestAsync();
        Assert.True(p.IsLeader);
        var first = await ProduceAsync(p, Idempotent(0));
        Assert.Equal(ErrorCode.None, first.Error);
        Assert.Equal(0, first.Info!.Value.FirstOffset); // kept: the original offset, no second copy
        Assert.Equal(1, p.Log.LogEndOffset);
        var second = await ProduceAsync(p, Idempotent(1));
        Assert.Equal(ErrorCode.None, second.Error);
        Assert.Equal(1, second.Info!.Value.FirstOffset); // cut away: written again
        Assert.Equal(2, p.Log.LogEndOffset);
    }

    [Fact]
    public void A_rebuild_reads_the_tail_of_the_log_only()
    {
        Directory.CreateDirectory(_broker.Dir);
        var config = new LogConfig { SegmentBytes = 1024 };
        var log = PartitionLog.Open(Path.Combine(_broker.Dir, "t-0"), Tp, config, _broker.Time, NullLogger.Instance, 0, hadCleanShutdown: true);
        // Producer 1 writes early, then producer 2 fills several segments.
        AppendAsLeader(log, Batch(1, 0));
        for (int i = 0; i < 40; i++) AppendAsLeader(log, Batch(2, i));
        Assert.True(log.Segments.Count > 3);

        var table = new ProducerStateTable();
        table.RebuildFrom(log, scanBytes: 1);
        Assert.Equal(1, table.Count); // only the active segment: producer 2
        Assert.Equal(ErrorCode.None, table.Check(RecordBatchHeader.Read(Batch(2, 39)), out var duplicate));
        Assert.NotNull(duplicate);
        table.RebuildFrom(log, scanBytes: long.MaxValue);
        Assert.Equal(2, table.Count);
        Assert.Equal(ErrorCode.None, table.Check(RecordBatchHeader.Read(Batch(1, 0)), out duplicate));
        Assert.Equal((0L, 0L), duplicate);
        log.Close();

        static byte[] Batch(long pid, int sequence)
        {
            using var builder = new RecordBatchBuilder();
            builder.Append(1_700_000_000_000, "k"u8, new byte[100]);
            return builder.ToArray(pid, 0, sequence);
        }
        static void AppendAsLeader(PartitionLog log, byte[] batch) => log.Append(batch, 0, null);
    }

    private static byte[] Fetched(byte[] batch, long offset)
    {
        RecordBatchHeader.SetBaseOffset(batch, offset);
        RecordBatchHeader.SetPartitionLeaderEpoch(batch, 5);
        return batch;
    }

    public ValueTask DisposeAsync() => _broker.DisposeAsync();
}
