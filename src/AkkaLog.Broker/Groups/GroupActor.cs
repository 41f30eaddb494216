using AkkaLog.Actors;
using AkkaLog.Protocol;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Groups;

/// <summary>
/// One consumer group (Kafka's classic group protocol): membership, rebalances, assignments and
/// committed offsets. It is the only place the group's state changes; every change that must
/// survive a restart is written to the group's <c>__consumer_offsets</c> partition before the
/// client hears of it. Requests that must wait (JoinGroup until everyone has joined, SyncGroup
/// until the leader assigns) park their reply and the actor moves on. A periodic tick expires
/// sessions and enforces the join and sync deadlines.
/// </summary>
internal sealed partial class GroupActor : Actor<GroupMessage>
{
    private const string TickTimer = "tick";
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);

    private readonly string _groupId;
    private readonly GroupConfig _config;
    private readonly GroupContext _context;
    private readonly List<GroupMember> _members = [];
    private readonly Dictionary<string, string> _staticMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _pendingMembers = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Topic, int Partition), CommittedOffset> _offsets = [];
    private GroupState _state = GroupState.Empty;
    private string _protocolType = "";
    private string? _protocol;
    private string? _leader;
    private int _generation;
    private long _stateTimestampMs;

    public GroupActor(string groupId, GroupConfig config, GroupContext context, GroupSnapshot? snapshot)
    {
        _groupId = groupId;
        _config = config;
        _context = context;
        if (snapshot is not null) Restore(snapshot);
    }

    private long NowMs => TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    protected override ValueTask PreStartAsync()
    {
        foreach (var m in _members) m.SessionDeadlineMs = NowMs + m.SessionTimeoutMs;
        if (_members.Count > 0) SchedulePeriodic(TickTimer, TickInterval, new GroupMessage.Tick());
        SchedulePeriodic("expire-offsets", TimeSpan.FromMilliseconds(_config.OffsetsRetentionCheckIntervalMs), new GroupMessage.ExpireOffsets());
        Publish();
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask ReceiveAsync(GroupMessage message)
    {
        try
        {
            await DispatchAsync(message);
        }
        catch (Exception e)
        {
            // A bug, not a client error: answer everyone waiting so clients go and find the
            // coordinator again, then let the supervisor restart the group from its partition.
            Logger.LogError(e, "Group {Group} failed handling {Message}", _groupId, message.GetType().Name);
            FailParked();
            FailMessage(message);
            throw;
        }
        Publish();
    }

    private async ValueTask DispatchAsync(GroupMessage message)
    {
        switch (message)
        {
            case GroupMessage.Join join: await HandleJoinAsync(join); break;
            case GroupMessage.Sync sync: await HandleSyncAsync(sync); break;
            case GroupMessage.Heartbeat heartbeat: heartbeat.Reply.TrySetResult(HandleHeartbeat(heartbeat)); break;
            case GroupMessage.Leave leave: HandleLeave(leave); break;
            case GroupMessage.CommitOffsets commit: await HandleCommitAsync(commit); break;
            case GroupMessage.FetchOffsets fetch: HandleFetch(fetch); break;
            case GroupMessage.DeleteOffsets delete: await HandleDeleteOffsetsAsync(delete); break;
            case GroupMessage.Describe describe: describe.Reply.TrySetResult(Describe()); break;
            case GroupMessage.Delete delete: await HandleDeleteGroupAsync(delete); break;
            case GroupMessage.Tick: OnTick(); break;
            case GroupMessage.ExpireOffsets: await ExpireOffsetsAsync(); break;
        }
    }

    protected override ValueTask PostStopAsync()
    {
        // Broker shutdown: parked requests get an answer that sends clients to find the coordinator again.
        FailParked();
        return ValueTask.CompletedTask;
    }

    private void FailParked()
    {
        foreach (var m in _members)
        {
            m.AwaitingJoin?.TrySetResult(JoinError(ErrorCode.CoordinatorNotAvailable, m.MemberId));
            m.AwaitingSync?.TrySetResult(SyncError(ErrorCode.CoordinatorNotAvailable));
            m.AwaitingJoin = null;
            m.AwaitingSync = null;
        }
    }

    private static void FailMessage(GroupMessage message)
    {
        const ErrorCode error = ErrorCode.CoordinatorNotAvailable;
        switch (message)
        {
            case GroupMessage.Join j: j.Reply.TrySetResult(JoinError(error, j.Request.MemberId)); break;
            case GroupMessage.Sync s: s.Reply.TrySetResult(SyncError(error)); break;
            case GroupMessage.Heartbeat h: h.Reply.TrySetResult(error); break;
            case GroupMessage.Leave l: l.Reply.TrySetResult((error, l.Members.Select(_ => error).ToArray())); break;
            case GroupMessage.CommitOffsets c: c.Reply.TrySetResult(c.Offsets.Select(_ => error).ToArray()); break;
            case GroupMessage.FetchOffsets f: f.Reply.TrySetException(new InvalidOperationException("group failed")); break;
            case GroupMessage.DeleteOffsets d: d.Reply.TrySetResult((error, new ErrorCode[d.Partitions.Count])); break;
            case GroupMessage.Describe d: d.Reply.TrySetException(new InvalidOperationException("group failed")); break;
            case GroupMessage.Delete d: d.Reply.TrySetResult(error); break;
        }
    }

    private void Publish() => _context.Publish(new GroupSummary(_groupId, _state, _protocolType));

    private void TransitionTo(GroupState state)
    {
        if (_state == state) return;
        _state = state;
        _stateTimestampMs = NowMs;
        if (state is GroupState.Empty or GroupState.Dead) CancelTimer(TickTimer);
        else if (!IsTimerActive(TickTimer)) SchedulePeriodic(TickTimer, TickInterval, new GroupMessage.Tick());
    }

    private GroupMember? Find(string memberId)
    {
        foreach (var m in _members) if (m.MemberId == memberId) return m;
        return null;
    }

    private string NewMemberId(string clientId) => $"{clientId}-{Guid.NewGuid()}";

    /// <summary>As Kafka describes a group: protocol, member metadata and assignments only once it is stable.</summary>
    private GroupDescription Describe()
    {
        bool stable = _state == GroupState.Stable;
        return new(_state, _protocolType, stable ? _protocol ?? "" : "",
            _members.Select(m => new MemberDescription(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost,
                stable ? m.MetadataFor(_protocol!) : [], stable ? m.Assignment : [])).ToList());
    }

    /// <summary>Writes the group's membership (and assignments) so a restart restores it.</summary>
    private Task<ErrorCode> PersistGroupAsync() =>
        _context.Log.WriteAsync([(OffsetsTopicRecords.GroupKey(_groupId), OffsetsTopicRecords.GroupValue(Snapshot()))]);

    private StoredGroup Snapshot() => new(_protocolType, _generation, _protocol, _leader, _stateTimestampMs,
        _members.Select(m => new StoredMember(m.MemberId, m.GroupInstanceId, m.ClientId, m.ClientHost, m.RebalanceTimeoutMs,
            m.SessionTimeoutMs, _protocol is null ? [] : m.MetadataFor(_protocol), m.Assignment)).ToList());

    private void Restore(GroupSnapshot snapshot)
    {
        foreach (var (key, offset) in snapshot.Offsets) _offsets[key] = offset;
        if (snapshot.Group is not { } g) return;
        _protocolType = g.ProtocolType;
        _generation = g.Generation;
        _protocol = g.Protocol;
        _leader = g.Leader;
        _stateTimestampMs = g.CurrentStateTimestampMs;
        foreach (var s in g.Members)
        {
            var m = new GroupMember(s.MemberId)
            {
                GroupInstanceId = s.GroupInstanceId, ClientId = s.ClientId, ClientHost = s.ClientHost,
                SessionTimeoutMs = s.SessionTimeoutMs, RebalanceTimeoutMs = s.RebalanceTimeoutMs,
                Protocols = [(g.Protocol ?? "", s.Subscription)], Assignment = s.Assignment, IsNew = false,
            };
            _members.Add(m);
            if (m.GroupInstanceId is not null) _staticMembers[m.GroupInstanceId] = m.MemberId;
        }
        // Members found on disk keep their generation and assignment: if they heartbeat within
        // their session timeout they carry on without a rebalance, as with Kafka's coordinator failover.
        _state = _members.Count > 0 ? GroupState.Stable : GroupState.Empty;
    }

    private void LogRebalance(string reason) =>
        Logger.LogInformation("Group {Group}: preparing rebalance in generation {Generation} ({Reason})", _groupId, _generation, reason);
}
