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
/// The replication core of one partition, in process with a manual clock: broker 1 hosts the
/// partition, "broker 2" is simulated by telling the actor what a follower fetched. High watermark,
/// acks=all, min.insync.replicas, ISR shrink and expand, and epoch fencing as a follower.
/// </summary>
public sealed class PartitionReplicationTests : IAsyncDisposable
{
    private static readonly TopicPartition Tp = OnePartitionBroker.Tp;
    private readonly OnePartitionBroker _broker = new("repl");
    private ObscurableStore _view = null!;

    private Task<Partition> StartAsync(PartitionState state) =>
        _broker.OpenAsync(state, new Dictionary<string, string?> { ["min.insync.replicas"] = "2", ["replica.lag.time.max.ms"] = "1000" },
            store => _view = new ObscurableStore(store));

    private static byte[] Batch(string value, int count = 1)
    {
        using var builder = new RecordBatchBuilder();
        for (int i = 0; i < count; i++) builder.Append(1_700_000_000_000, "k"u8, System.Text.Encoding.UTF8.GetBytes(value));
        return builder.ToArray();
    }

    private static Task<AppendOutcome> AppendAsync(Partition p, string value, short acks)
    {
        var reply = new TaskCompletionSource<AppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(p.Actor.Tell(new PartitionMessage.Append(Batch(value), reply, Acks: acks, TimeoutMs: 60_000)));
        return reply.Task;
    }

    private async Task WaitForStateAsync(Func<PartitionState, bool> condition)
    {
        for (int i = 0; i < 200 && !condition(_broker.Store.Current.Partitions[Tp]); i++)
        {
            _broker.Time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(10);
        }
        Assert.True(condition(_broker.Store.Current.Partitions[Tp]), $"state is {_broker.Store.Current.Partitions[Tp]}");
    }

    private static async Task WaitForLeaderIsrAsync(Partition p, int[] isr)
    {
        for (int i = 0; i < 500 && !p.Isr.SequenceEqual(isr); i++) await Task.Delay(10);
        Assert.Equal(isr, p.Isr);
    }

    private static PartitionState Led(int[] isr, int epoch = 4) => new()
    {
        Replicas = [1, 2], Leader = 1, LeaderEpoch = epoch, Isr = isr, PartitionEpoch = 0,
    };

    [Fact]
    public async Task Acks_all_waits_for_the_follower_and_the_high_watermark_follows_it()
    {
        var p = await StartAsync(Led([1, 2]));
        Assert.True(p.IsLeader);
        Assert.Equal(4, p.LeaderEpoch);

        var acksOne = await AppendAsync(p, "one", acks: 1);
        Assert.Equal(ErrorCode.None, acksOne.Error);
        Assert.Equal(0, p.HighWatermark); // the follower has nothing yet: nothing is committed

        var all = AppendAsync(p, "all", acks: -1);
        await Task.Delay(100);
        Assert.False(all.IsCompleted);

        p.Actor.Tell(new PartitionMessage.FollowerFetched(2, 1)); // the follower has offset 0
        // The actor handles the fetch in its own time: wait for it (a fixed 50 ms failed once on a loaded machine).
        for (int i = 0; i < 500 && p.HighWatermark < 1; i++) await Task.Delay(10);
        Assert.Equal(1, p.HighWatermark);
        Assert.False(all.IsCompleted);

        p.Actor.Tell(new PartitionMessage.FollowerFetched(2, 2));
        var outcome = await all.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ErrorCode.None, outcome.Error);
        Assert.Equal(1, outcome.Info!.Value.FirstOffset);
        Assert.Equal(2, p.HighWatermark);
        // Batches carry the leader epoch they were written in.
        Assert.Equal(4, p.Log.LeaderEpochs.LatestEpoch);
    }

    [Fact]
    public async Task A_lagging_follower_leaves_the_isr_then_acks_all_is_refused_until_it_catches_up()
    {
        var p = await StartAsync(Led([1, 2]));
        await AppendAsync(p, "x", acks: 1);
        // The follower never fetches: after replica.lag.time.max.ms the leader shrinks the ISR itself.
        await WaitForStateAsync(s => s.Isr.SequenceEqual([1]));
        Assert.Equal(1, _broker.Store.Current.Partitions[Tp].PartitionEpoch);
        await WaitForLeaderIsrAsync(p, [1]); // the store has it; the actor learns it by message

        var refused = await AppendAsync(p, "refused", acks: -1);
        Assert.Equal(ErrorCode.NotEnoughReplicas, refused.Error);
        Assert.Equal(1, p.Log.LogEndOffset); // nothing written

        // It fetches up to the leader's end: back in the ISR, and acks=all works again.
        p.Actor.Tell(new PartitionMessage.FollowerFetched(2, p.Log.LogEndOffset));
        await WaitForStateAsync(s => s.Isr.SequenceEqual([1, 2]));
        await WaitForLeaderIsrAsync(p, [1, 2]);
        var all = AppendAsync(p, "back", acks: -1);
        p.Actor.Tell(new PartitionMessage.FollowerFetched(2, 2));
        Assert.Equal(ErrorCode.None, (await all.WaitAsync(TimeSpan.FromSeconds(5))).Error);
    }

    [Fact]
    public async Task A_follower_accepts_only_its_current_leaders_epoch_and_truncates_when_told()
    {
        var p = await StartAsync(Led([1, 2]));
        await AppendAsync(p, "mine", acks: 1);
        // Broker 2 becomes leader at epoch 5 (it is not registered here, so no fetcher starts).
        var state = _broker.Store.Current.Partitions[Tp];
        Assert.True(await _broker.Store.TryUpdatePartitionAsync(Tp, state, state with { Leader = 2, LeaderEpoch = 5, PartitionEpoch = 1 }, false, default));
        await _broker.Replicas.ApplyLatestAsync();
        Assert.False(p.IsLeader);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await AppendAsync(p, "refused", acks: 1)).Error);

        var leaderBatch = Batch("from-leader", 2);
        RecordBatchHeader.SetBaseOffset(leaderBatch, 1);
        RecordBatchHeader.SetPartitionLeaderEpoch(leaderBatch, 5);
        async Task<ErrorCode> FollowAsync(int epoch)
        {
            var reply = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
            p.Actor.Tell(new PartitionMessage.FollowerAppend(leaderBatch, 3, 0, epoch, reply));
            return await reply.Task;
        }
        Assert.Equal(ErrorCode.FencedLeaderEpoch, await FollowAsync(4)); // a zombie of the old epoch
        Assert.Equal(1, p.Log.LogEndOffset);
        Assert.Equal(ErrorCode.None, await FollowAsync(5));
        Assert.Equal(3, p.Log.LogEndOffset);
        Assert.Equal(3, p.HighWatermark);
        Assert.Equal(5, p.Log.LeaderEpochs.LatestEpoch);

        var truncated = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        p.Actor.Tell(new PartitionMessage.Truncate(1, false, 5, truncated));
        Assert.Equal(ErrorCode.None, await truncated.Task);
        Assert.Equal(1, p.Log.LogEndOffset);
        Assert.Equal(1, p.HighWatermark);
        Assert.Equal(4, p.Log.LeaderEpochs.LatestEpoch); // epoch 5's entry went with its records
    }

    [Fact]
    public async Task A_follower_takes_a_compaction_gap_but_refuses_batches_that_overlap_its_log()
    {
        var p = await StartAsync(Led([1, 2]));
        await AppendAsync(p, "mine", acks: 1);
        await FollowBrokerTwoAtEpochFiveAsync();

        // Offsets 1..3 were compacted away on the leader: its next batch starts at 4.
        Assert.Equal(ErrorCode.None, await FollowAsync(p, LeaderBatch("after-gap", count: 2, baseOffset: 4), epoch: 5));
        Assert.Equal(6, p.Log.LogEndOffset);
        // Starting inside what we hold and running past it: the logs diverged, so truncate and refetch.
        Assert.Equal(ErrorCode.OffsetOutOfRange, await FollowAsync(p, LeaderBatch("diverged", count: 3, baseOffset: 5), epoch: 5));
        Assert.Equal(6, p.Log.LogEndOffset);
    }

    [Fact]
    public async Task An_image_older_than_the_current_epoch_changes_nothing()
    {
        var p = await StartAsync(Led([1, 2]));
        var old = _broker.Store.Current.Partitions[Tp];
        await FollowBrokerTwoAtEpochFiveAsync();

        // The epoch-4 image arrives late (another applier raced): no return to leading an old term.
        var applied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(p.Actor.Tell(new PartitionMessage.BecomeLeader(old, applied)));
        await applied.Task;
        Assert.False(p.IsLeader);
        Assert.Equal(5, p.LeaderEpoch);
    }

    [Fact]
    public async Task A_follower_fetching_past_the_leaders_end_is_not_caught_up()
    {
        var p = await StartAsync(Led([1]));
        await AppendAsync(p, "x", acks: 1);
        // A diverged follower asks from offset 7 while our log ends at 1: it must not rejoin the ISR.
        p.Actor.Tell(new PartitionMessage.FollowerFetched(2, 7));
        for (int i = 0; i < 20; i++)
        {
            _broker.Time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(10);
        }
        // Not even briefly: an expand (and the shrink that would follow) bumps the partition epoch.
        Assert.Equal([1], _broker.Store.Current.Partitions[Tp].Isr);
        Assert.Equal(0, _broker.Store.Current.Partitions[Tp].PartitionEpoch);
        Assert.Equal(1, p.HighWatermark);
    }

    [Fact]
    public async Task A_broker_the_cluster_counts_dead_stops_leading_until_it_is_registered_again()
    {
        var p = await StartAsync(Led([1]));
        Assert.Equal(ErrorCode.None, (await AppendAsync(p, "before", acks: 1)).Error);

        _view.RegistrationsLost = true; // our lease expired: others may be elected meanwhile
        await _broker.Replicas.ApplyLatestAsync();
        Assert.False(p.IsLeader);
        Assert.Equal(ErrorCode.NotLeaderOrFollower, (await AppendAsync(p, "while-dead", acks: 1)).Error);

        _view.RegistrationsLost = false; // registered again, still the elected leader
        await _broker.Replicas.ApplyLatestAsync();
        Assert.True(p.IsLeader);
        Assert.Equal(ErrorCode.None, (await AppendAsync(p, "after", acks: 1)).Error);
        Assert.Equal(2, p.Log.LogEndOffset);
    }

    [Fact]
    public async Task An_isr_change_with_an_unknown_outcome_keeps_counting_the_new_member_and_is_asked_again()
    {
        var p = await StartAsync(Led([1]));
        await AppendAsync(p, "a", acks: 1);
        Assert.Equal(1, p.HighWatermark);

        _view.FailNextPartitionUpdates(1); // the expand below may or may not have landed: nobody knows
        p.Actor.Tell(new PartitionMessage.FollowerFetched(2, 1));
        await Task.Delay(100);
        Assert.Equal(0, _broker.Store.Current.Partitions[Tp].PartitionEpoch);

        // Replica 2 might be in the ISR now, so the high watermark must wait for it.
        await AppendAsync(p, "b", acks: 1);
        await Task.Delay(50);
        Assert.Equal(1, p.HighWatermark);

        // It catches up; a second later the leader asks again, and this time the store answers.
        for (int i = 0; i < 40 && !_broker.Store.Current.Partitions[Tp].Isr.SequenceEqual([1, 2]); i++)
        {
            p.Actor.Tell(new PartitionMessage.FollowerFetched(2, p.Log.LogEndOffset));
            _broker.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(10);
        }
        Assert.Equal([1, 2], _broker.Store.Current.Partitions[Tp].Isr);
        Assert.Equal(2, p.HighWatermark);
    }

    [Fact]
    public async Task A_follower_joins_the_isr_under_the_registration_it_fetched_with()
    {
        var p = await StartAsync(Led([1]));
        await AppendAsync(p, "a", acks: 1);
        p.Actor.Tell(new PartitionMessage.FollowerFetched(2, 1, Incarnation: 42));
        await WaitForStateAsync(s => s.Isr.SequenceEqual([1, 2]));
        Assert.Equal(42, _broker.Store.Current.Partitions[Tp].IsrIncarnationOf(2));
    }

    private async Task FollowBrokerTwoAtEpochFiveAsync()
    {
        var state = _broker.Store.Current.Partitions[Tp];
        Assert.True(await _broker.Store.TryUpdatePartitionAsync(Tp, state, state with { Leader = 2, LeaderEpoch = 5, PartitionEpoch = state.PartitionEpoch + 1 }, false, default));
        await _broker.Replicas.ApplyLatestAsync();
        Assert.False(_broker.Replicas.TryGetPartition("t", 0, out var p) && p.IsLeader);
    }

    private static byte[] LeaderBatch(string value, int count, long baseOffset)
    {
        var batch = Batch(value, count);
        RecordBatchHeader.SetBaseOffset(batch, baseOffset);
        RecordBatchHeader.SetPartitionLeaderEpoch(batch, 5);
        return batch;
    }

    private static async Task<ErrorCode> FollowAsync(Partition p, byte[] batches, int epoch)
    {
        var reply = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(p.Actor.Tell(new PartitionMessage.FollowerAppend(batches, 0, 0, epoch, reply)));
        return await reply.Task;
    }

    public ValueTask DisposeAsync() => _broker.DisposeAsync();
}
