using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Tests.Groups;

/// <summary>
/// The group state machine's clocks, driven by a manual clock in an in-process broker: the
/// initial rebalance delay (and its extension while members keep arriving), session expiry,
/// members that do not rejoin within the rebalance timeout, and a leader that never syncs.
/// Group timers run on a 250 ms tick, so deadlines here fall on tick boundaries.
/// </summary>
public sealed class GroupTimingTests
{
    private const string Topic = "timing-topic";

    private static JoinGroupRequest Join(string group, string memberId, int sessionMs = 6000, int rebalanceMs = 60_000)
    {
        using var w = new KafkaWriter(32);
        w.WriteInt16(0);
        new ConsumerProtocolSubscription { Topics = [Topic] }.Write(w, 0);
        return new JoinGroupRequest
        {
            GroupId = group,
            MemberId = memberId,
            SessionTimeoutMs = sessionMs,
            RebalanceTimeoutMs = rebalanceMs,
            ProtocolType = "consumer",
            Protocols = [new JoinGroupRequest.JoinGroupRequestProtocol { Name = "range", Metadata = w.ToArray() }],
        };
    }

    private static async Task<ErrorCode> HeartbeatAsync(InProcessBroker b, string group, int generation, string memberId) =>
        (ErrorCode)(await b.CallAsync<HeartbeatResponse>(new HeartbeatRequest { GroupId = group, GenerationId = generation, MemberId = memberId }, 3)).ErrorCode;

    private static Task<SyncGroupResponse> SyncAsync(InProcessBroker b, string group, JoinGroupResponse join, bool assign) =>
        b.CallAsync<SyncGroupResponse>(new SyncGroupRequest
        {
            GroupId = group,
            GenerationId = join.GenerationId,
            MemberId = join.MemberId,
            Assignments = assign ? join.Members.Select(m => new SyncGroupRequest.SyncGroupRequestAssignment { MemberId = m.MemberId, Assignment = new byte[] { 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF } }).ToList() : [],
        }, 3);

    /// <summary>Starts a JoinGroup (v3: no member id round trip) and waits until the group counts <paramref name="members"/> members.</summary>
    private static async Task<Task<JoinGroupResponse>> StartJoinAsync(InProcessBroker b, string group, string memberId, int members, int rebalanceMs = 60_000)
    {
        var join = b.Start<JoinGroupResponse>(Join(group, memberId, rebalanceMs: rebalanceMs), 3);
        for (int i = 0; i < 500 && (await b.DescribeAsync(group)).Members.Count < members && !join.IsCompleted; i++) await Task.Delay(10);
        return join;
    }

    /// <summary>One member joins an empty group (no delay) and syncs as leader; returns its join answer.</summary>
    private static async Task<JoinGroupResponse> JoinAloneAsync(InProcessBroker b, string group, int sessionMs = 6000, int rebalanceMs = 60_000)
    {
        var join = await b.CallAsync<JoinGroupResponse>(Join(group, "", sessionMs, rebalanceMs), 3);
        Assert.Equal(ErrorCode.None, (ErrorCode)join.ErrorCode);
        Assert.Equal(ErrorCode.None, (ErrorCode)(await SyncAsync(b, group, join, assign: true)).ErrorCode);
        return join;
    }

    [Fact]
    public async Task Initial_rebalance_delay_waits_for_members_and_extends_while_they_arrive()
    {
        await using var b = await InProcessBroker.StartAsync(("group.initial.rebalance.delay.ms", "3000"));
        var first = await StartJoinAsync(b, "delayed", "", 1);
        Assert.Equal("PreparingRebalance", (await b.AdvanceAsync("delayed", TimeSpan.FromMilliseconds(1000))).GroupState);
        var second = await StartJoinAsync(b, "delayed", "", 2);

        // At 3 s the delay would end, but a member arrived during it: Kafka waits another delay.
        Assert.Equal("PreparingRebalance", (await b.AdvanceAsync("delayed", TimeSpan.FromMilliseconds(2000))).GroupState);
        Assert.Equal("PreparingRebalance", (await b.AdvanceAsync("delayed", TimeSpan.FromMilliseconds(2999))).GroupState);
        Assert.False(first.IsCompleted || second.IsCompleted, "a join completed before the extended delay ended");

        var described = await b.AdvanceAsync("delayed", TimeSpan.FromMilliseconds(1));
        Assert.Equal("CompletingRebalance", described.GroupState);
        var (a, c) = (await first, await second);
        Assert.Equal((ErrorCode.None, ErrorCode.None), ((ErrorCode)a.ErrorCode, (ErrorCode)c.ErrorCode));
        Assert.Equal((1, 1), (a.GenerationId, c.GenerationId));
        Assert.Equal(2, (a.Leader == a.MemberId ? a : c).Members.Count);
    }

    [Fact]
    public async Task A_member_that_stops_heartbeating_is_removed_when_its_session_expires()
    {
        await using var b = await InProcessBroker.StartAsync(("group.initial.rebalance.delay.ms", "0"));
        var join = await JoinAloneAsync(b, "sessions");
        await b.AdvanceAsync("sessions", TimeSpan.FromMilliseconds(3000));
        Assert.Equal(ErrorCode.None, await HeartbeatAsync(b, "sessions", join.GenerationId, join.MemberId));

        // The heartbeat at 3 s extends the 6 s session to 9 s.
        var alive = await b.AdvanceAsync("sessions", TimeSpan.FromMilliseconds(5999));
        Assert.Equal(("Stable", 1), (alive.GroupState, alive.Members.Count));
        var expired = await b.AdvanceAsync("sessions", TimeSpan.FromMilliseconds(1));
        Assert.Equal(("Empty", 0), (expired.GroupState, expired.Members.Count));
        Assert.Equal(ErrorCode.UnknownMemberId, await HeartbeatAsync(b, "sessions", join.GenerationId, join.MemberId));
    }

    [Fact]
    public async Task Members_that_do_not_rejoin_within_the_rebalance_timeout_are_removed()
    {
        await using var b = await InProcessBroker.StartAsync(("group.initial.rebalance.delay.ms", "0"));
        var old = await JoinAloneAsync(b, "rejoin", sessionMs: 30_000, rebalanceMs: 5000);
        var newcomer = await StartJoinAsync(b, "rejoin", "", 2, rebalanceMs: 5000);
        await b.AdvanceAsync("rejoin", TimeSpan.FromMilliseconds(1000));
        Assert.Equal(ErrorCode.RebalanceInProgress, await HeartbeatAsync(b, "rejoin", old.GenerationId, old.MemberId));

        // The old member was told to rejoin and did not: the join phase ends at the 5 s rebalance timeout without it.
        Assert.Equal("PreparingRebalance", (await b.AdvanceAsync("rejoin", TimeSpan.FromMilliseconds(3999))).GroupState);
        Assert.False(newcomer.IsCompleted);
        var described = await b.AdvanceAsync("rejoin", TimeSpan.FromMilliseconds(1));
        var join = await newcomer;
        Assert.Equal((ErrorCode.None, old.GenerationId + 1, join.MemberId), ((ErrorCode)join.ErrorCode, join.GenerationId, join.Leader));
        Assert.Equal([join.MemberId], join.Members.Select(m => m.MemberId));
        Assert.Equal(join.MemberId, Assert.Single(described.Members).MemberId);
        Assert.Equal(ErrorCode.UnknownMemberId, await HeartbeatAsync(b, "rejoin", old.GenerationId, old.MemberId));
    }

    [Fact]
    public async Task A_leader_that_never_syncs_is_removed_and_the_others_rebalance()
    {
        await using var b = await InProcessBroker.StartAsync(("group.initial.rebalance.delay.ms", "0"));
        var leader = await JoinAloneAsync(b, "nosync", sessionMs: 30_000, rebalanceMs: 5000);
        var follower = await StartJoinAsync(b, "nosync", "", 2, rebalanceMs: 5000);
        var rejoin = await b.CallAsync<JoinGroupResponse>(Join("nosync", leader.MemberId, 30_000, 5000), 3);
        var followerJoin = await follower;
        Assert.Equal((leader.MemberId, 2), (rejoin.Leader, rejoin.GenerationId));

        // The follower syncs and waits for the leader's assignment, which never comes.
        var sync = Task.Run(() => SyncAsync(b, "nosync", followerJoin, assign: false));
        for (int i = 0; i < 100 && !sync.IsCompleted; i++) await Task.Delay(10);
        Assert.False(sync.IsCompleted);
        Assert.Equal("CompletingRebalance", (await b.AdvanceAsync("nosync", TimeSpan.FromMilliseconds(4999))).GroupState);
        Assert.False(sync.IsCompleted);

        var described = await b.AdvanceAsync("nosync", TimeSpan.FromMilliseconds(1));
        Assert.Equal(ErrorCode.RebalanceInProgress, (ErrorCode)(await sync).ErrorCode);
        Assert.Equal("PreparingRebalance", described.GroupState);
        Assert.Equal(followerJoin.MemberId, Assert.Single(described.Members).MemberId);
        var again = await b.CallAsync<JoinGroupResponse>(Join("nosync", followerJoin.MemberId, 30_000, 5000), 3);
        Assert.Equal((ErrorCode.None, 3, followerJoin.MemberId), ((ErrorCode)again.ErrorCode, again.GenerationId, again.Leader));
    }
}
