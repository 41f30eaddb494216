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
/// A partition actor that fails and is restarted by its supervisor must not be left wedged: whoever
/// waited for the failed message gets an answer, and the fresh instance takes its role from the
/// latest metadata again (a leader that nothing drives would never move its high watermark or answer acks=all).
/// </summary>
public sealed class ActorRestartTests : IAsyncDisposable
{
    private static readonly TopicPartition Tp = OnePartitionBroker.Tp;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly OnePartitionBroker _broker = new("restart");

    private Task<Partition> StartAsync(PartitionState state) =>
        _broker.OpenAsync(state, new Dictionary<string, string?> { ["min.insync.replicas"] = "2", ["replica.lag.time.max.ms"] = "1000" });

    private static PartitionState LedBy(int leader, int epoch) => new()
    {
        Replicas = [1, 2], Leader = leader, LeaderEpoch = epoch, Isr = [1, 2], PartitionEpoch = 0,
    };

    private static byte[] Batch(string value, int count, long baseOffset, int epoch)
    {
        using var builder = new RecordBatchBuilder();
        for (int i = 0; i < count; i++) builder.Append(1_700_000_000_000, "k"u8, System.Text.Encoding.UTF8.GetBytes(value));
        var batch = builder.ToArray();
        RecordBatchHeader.SetBaseOffset(batch, baseOffset);
        RecordBatchHeader.SetPartitionLeaderEpoch(batch, epoch);
        return batch;
    }

    [Fact]
    public async Task A_leader_whose_actor_failed_is_driven_again_after_the_restart()
    {
        var p = await StartAsync(LedBy(2, 4)); // a follower first (broker 2 is not registered: no fetcher)
        Assert.False(p.IsLeader);
        int failures = 0;
        // A leadership listener (the group coordinator, say) fails once, inside the actor, while it takes the leadership.
        _broker.Replicas.LeadershipChanged += (_, leads) =>
        {
            if (leads && Interlocked.Exchange(ref failures, 1) == 0) throw new InvalidOperationException("listener fault (test)");
        };

        var state = _broker.Store.Current.Partitions[Tp];
        Assert.True(await _broker.Store.TryUpdatePartitionAsync(Tp, state, state with { Leader = 1, LeaderEpoch = 5, PartitionEpoch = 1 }, false, default));
        // The failed BecomeLeader is answered, so applying metadata is not stuck on it.
        await _broker.Replicas.ApplyLatestAsync().WaitAsync(Patience);
        Assert.Equal(1, failures);

        // The restarted actor took the leadership from the latest image again: it leads with the ISR and acks=all works.
        var deadline = DateTime.UtcNow + Patience;
        while (!(p.IsLeader && p.Isr.SequenceEqual([1, 2])) && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(p.IsLeader);
        Assert.Equal([1, 2], p.Isr);
        Assert.Equal(5, p.LeaderEpoch);
        var reply = new TaskCompletionSource<AppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        Assert.True(p.Actor.Tell(new PartitionMessage.Append(Batch("after", 1, 0, 5), reply, Acks: -1, TimeoutMs: 60_000)));
        p.Actor.Tell(new PartitionMessage.FollowerFetched(2, 1)); // the follower has it
        var outcome = await reply.Task.WaitAsync(Patience);
        Assert.Equal(ErrorCode.None, outcome.Error);
        Assert.Equal(1, p.HighWatermark);
    }

    [Fact]
    public async Task A_follower_whose_actor_failed_on_fetched_data_answers_and_keeps_following()
    {
        var p = await StartAsync(LedBy(2, 5));
        Assert.False(p.IsLeader);
        async Task<ErrorCode> FollowAsync(byte[] records)
        {
            var reply = new TaskCompletionSource<ErrorCode>(TaskCreationOptions.RunContinuationsAsynchronously);
            Assert.True(p.Actor.Tell(new PartitionMessage.FollowerAppend(records, 0, 0, 5, reply)));
            return await reply.Task.WaitAsync(Patience); // the replica fetcher waits like this
        }

        // Offsets that go backwards inside one response: the log refuses them with an exception, which fails the actor.
        byte[] broken = [.. Batch("a", 2, 0, 5), .. Batch("b", 1, 1, 5)];
        Assert.NotEqual(ErrorCode.None, await FollowAsync(broken));
        Assert.Equal(0, p.Log.LogEndOffset);

        // The restarted actor is still a follower of epoch 5 and takes good data.
        Assert.Equal(ErrorCode.None, await FollowAsync(Batch("good", 2, 0, 5)));
        Assert.Equal(2, p.Log.LogEndOffset);
        Assert.False(p.IsLeader);
        Assert.Equal(5, p.LeaderEpoch);
    }

    public ValueTask DisposeAsync() => _broker.DisposeAsync();
}
