using AkkaLog.Broker.Metadata;
using AkkaLog.Broker.Partitions;
using AkkaLog.Broker.Tests.Cluster;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Records;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Tests.Replication;

/// <summary>
/// replication-offset-checkpoint: a broker writes its replicas' high watermarks on shutdown (and
/// periodically) and starts from them, not from its log end, so records that were never committed do
/// not become visible after a restart. A follower on etcd metadata (its state survives the restart).
/// </summary>
public sealed class HighWatermarkCheckpointTests(EtcdFixture fixture) : IClassFixture<EtcdFixture>
{
    private static readonly TopicPartition T0 = new("t", 0);

    /// <summary>Broker 2 leads "t" at epoch 5; this broker (1) follows (broker 2 is not registered, so no fetcher runs).</summary>
    private static async Task<Partition> FollowAsync(EtcdBrokerHarness broker)
    {
        var state = new PartitionState { Replicas = [1, 2], Leader = 2, LeaderEpoch = 5, Isr = [1, 2], PartitionEpoch = 0 };
        Assert.True(await broker.Store.TryCreateTopicAsync(new TopicMetadata("t", Guid.NewGuid(), 1, new Dictionary<string, string>()), [state], default));
        return await ApplyAsync(broker);
    }

    private static async Task<Partition> ApplyAsync(EtcdBrokerHarness broker)
    {
        await broker.Replicas.ApplyLatestAsync();
        Assert.True(broker.Replicas.TryGetPartition("t", 0, out var p));
        Assert.False(p.IsLeader);
        return p;
    }

    /// <summary>Fetched from the leader: <paramref name="records"/> records, of which the leader has committed up to <paramref name="leaderHighWatermark"/>.</summary>
    private static async Task FetchedAsync(Partition p, int records, long leaderHighWatermark)
    {
        using var builder = new RecordBatchBuilder();
        for (int i = 0; i < records; i++) builder.Append(1_700_000_000_000, "k"u8, "v"u8);
        var batch = builder.ToArray();
        RecordBatchHeader.SetPartitionLeaderEpoch(batch, 5);
        var reply = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(p.Actor.Tell(new PartitionMessage.FollowerAppend(batch, leaderHighWatermark, 0, 5, reply)));
        Assert.Equal(ErrorCode.None, await reply.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static Dictionary<TopicPartition, long>? Checkpointed(EtcdBrokerHarness broker) =>
        CheckpointFile.ReadOffsets(Path.Combine(broker.Dir, HighWatermarkCheckpoint.FileName));

    [Fact]
    public async Task A_restarted_follower_starts_from_the_checkpointed_high_watermark_not_its_log_end()
    {
        await using var broker = await EtcdBrokerHarness.StartAsync(fixture);
        var p = await FollowAsync(broker);
        await FetchedAsync(p, records: 3, leaderHighWatermark: 1);
        Assert.Equal(3, p.Log.LogEndOffset);
        Assert.Equal(1, p.HighWatermark);

        await broker.RestartAsync(); // a clean shutdown writes the checkpoint last
        Assert.Equal(new Dictionary<TopicPartition, long> { [T0] = 1 }, Checkpointed(broker));
        p = await ApplyAsync(broker);
        Assert.Equal(3, p.Log.LogEndOffset);
        Assert.Equal(1, p.HighWatermark);
    }

    [Fact]
    public async Task The_checkpoint_is_written_while_running_and_capped_at_the_log_end_when_read()
    {
        await using var broker = await EtcdBrokerHarness.StartAsync(fixture);
        var p = await FollowAsync(broker);
        await FetchedAsync(p, records: 2, leaderHighWatermark: 2);
        broker.Replicas.CheckpointHighWatermarks(); // what the timer does
        Assert.Equal(2, Checkpointed(broker)![T0]);

        // Stopped again before the replica was opened: the checkpoint keeps what it had.
        await broker.RestartAsync();
        await broker.RestartAsync();
        Assert.Equal(2, Checkpointed(broker)![T0]);
        // A checkpoint ahead of the log (which lost its tail meanwhile) never puts the high watermark past the log end.
        await broker.RestartAsync(() =>
            CheckpointFile.WriteOffsets(Path.Combine(broker.Dir, HighWatermarkCheckpoint.FileName), [KeyValuePair.Create(T0, 50L)]));
        p = await ApplyAsync(broker);
        Assert.Equal(2, p.Log.LogEndOffset);
        Assert.Equal(2, p.HighWatermark);
    }
}
