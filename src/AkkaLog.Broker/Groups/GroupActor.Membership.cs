using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Groups;

/// <summary>JoinGroup, SyncGroup, Heartbeat, LeaveGroup and session expiry: the classic rebalance protocol.</summary>
internal sealed partial class GroupActor
{
    // Rebalance bookkeeping: when the join phase must end, when the initial delay ends, when the sync phase must end.
    private long _joinDeadlineMs;
    private long _initialDelayEndMs = -1;
    private long _initialDelayLimitMs;
    private int _membersAtDelayStart;
    private long _syncDeadlineMs;

    private async ValueTask HandleJoinAsync(GroupMessage.Join join)
    {
        var req = join.Request;
        var reply = join.Reply;
        string memberId = req.MemberId;
        if (_state == GroupState.Dead) { reply.TrySetResult(JoinError(ErrorCode.CoordinatorNotAvailable, memberId)); return; }
        if (req.SessionTimeoutMs < _config.MinSessionTimeoutMs || req.SessionTimeoutMs > _config.MaxSessionTimeoutMs)
        { reply.TrySetResult(JoinError(ErrorCode.InvalidSessionTimeout, memberId)); return; }
        var protocols = req.Protocols.Select(p => (p.Name, p.Metadata.ToArray())).ToList();
        if (string.IsNullOrEmpty(req.ProtocolType) || protocols.Count == 0 || !AcceptsProtocols(req.ProtocolType, protocols, memberId))
        { reply.TrySetResult(JoinError(ErrorCode.InconsistentGroupProtocol, memberId)); return; }
        int rebalanceTimeout = join.Version >= 1 ? req.RebalanceTimeoutMs : req.SessionTimeoutMs;
        string? instanceId = join.Version >= 5 ? req.GroupInstanceId : null;

        if (memberId.Length == 0)
        {
            await JoinUnknownMemberAsync(join, protocols, rebalanceTimeout, instanceId);
            return;
        }
        if (_pendingMembers.Remove(memberId))
        {
            AddMember(memberId, join, protocols, rebalanceTimeout, instanceId);
            return;
        }
        var member = Find(memberId);
        if (instanceId is not null && _staticMembers.TryGetValue(instanceId, out var current) && current != memberId)
        { reply.TrySetResult(JoinError(ErrorCode.FencedInstanceId, memberId)); return; }
        if (member is null) { reply.TrySetResult(JoinError(ErrorCode.UnknownMemberId, memberId)); return; }
        UpdateMember(member, join, protocols, rebalanceTimeout);
        switch (_state)
        {
            case GroupState.PreparingRebalance:
                ReplaceAwaitingJoin(member, reply);
                TryCompleteJoin();
                break;
            case GroupState.CompletingRebalance when !ProtocolsChanged(member, protocols):
                reply.TrySetResult(JoinResponseFor(member)); // a retried join: same answer
                break;
            case GroupState.Stable when member.MemberId != _leader && !ProtocolsChanged(member, protocols):
                reply.TrySetResult(JoinResponseFor(member)); // a follower rejoining unchanged keeps its generation
                break;
            default:
                member.Protocols = protocols;
                ReplaceAwaitingJoin(member, reply);
                PrepareRebalance($"member {memberId} rejoined");
                break;
        }
    }

    private async ValueTask JoinUnknownMemberAsync(GroupMessage.Join join, List<(string Name, byte[] Metadata)> protocols, int rebalanceTimeout, string? instanceId)
    {
        string newId = NewMemberId(join.Client.ClientId);
        if (instanceId is not null && _staticMembers.TryGetValue(instanceId, out var oldId) && Find(oldId) is { } known)
        {
            // A static member restarted: it takes over its old identity under a new member id; the
            // old id is fenced. An unchanged member of a stable group gets its assignment back without a rebalance.
            known.AwaitingJoin?.TrySetResult(JoinError(ErrorCode.FencedInstanceId, oldId));
            known.AwaitingSync?.TrySetResult(SyncError(ErrorCode.FencedInstanceId));
            known.AwaitingJoin = null;
            known.AwaitingSync = null;
            bool unchanged = known.SameProtocols(protocols);
            known.MemberId = newId;
            _staticMembers[instanceId] = newId;
            if (_leader == oldId) _leader = newId;
            UpdateMember(known, join, protocols, rebalanceTimeout);
            if (_state == GroupState.Stable && unchanged)
            {
                // Stored before answering, as Kafka does: otherwise a coordinator restart restores
                // the old member id and fences the instance that is actually running.
                var written = await PersistGroupAsync();
                if (written != ErrorCode.None)
                {
                    known.MemberId = oldId;
                    _staticMembers[instanceId] = oldId;
                    if (_leader == newId) _leader = oldId;
                    join.Reply.TrySetResult(JoinError(ErrorCode.CoordinatorNotAvailable, ""));
                    return;
                }
                join.Reply.TrySetResult(JoinResponseFor(known));
                return;
            }
            known.Protocols = protocols;
            ReplaceAwaitingJoin(known, join.Reply);
            if (_state == GroupState.PreparingRebalance) TryCompleteJoin();
            else PrepareRebalance($"static member {instanceId} rejoined with new metadata");
            return;
        }
        if (_members.Count + _pendingMembers.Count >= _config.MaxSize)
        { join.Reply.TrySetResult(JoinError(ErrorCode.GroupMaxSizeReached, "")); return; }
        if (instanceId is null && join.Version >= 4)
        {
            // KIP-394: hand out the id first; the member must come back with it within its session timeout.
            _pendingMembers[newId] = NowMs + join.Request.SessionTimeoutMs;
            EnsureTicking();
            join.Reply.TrySetResult(JoinError(ErrorCode.MemberIdRequired, newId));
            return;
        }
        AddMember(newId, join, protocols, rebalanceTimeout, instanceId);
    }

    private void AddMember(string memberId, GroupMessage.Join join, List<(string Name, byte[] Metadata)> protocols, int rebalanceTimeout, string? instanceId)
    {
        if (_members.Count >= _config.MaxSize) { join.Reply.TrySetResult(JoinError(ErrorCode.GroupMaxSizeReached, memberId)); return; }
        var member = new GroupMember(memberId) { GroupInstanceId = instanceId, Protocols = protocols };
        UpdateMember(member, join, protocols, rebalanceTimeout);
        member.AwaitingJoin = join.Reply;
        _members.Add(member);
        if (instanceId is not null) _staticMembers[instanceId] = memberId;
        if (_members.Count == 1) _protocolType = join.Request.ProtocolType;
        if (_state == GroupState.PreparingRebalance) TryCompleteJoin();
        else PrepareRebalance($"member {memberId} joined");
    }

    private void UpdateMember(GroupMember member, GroupMessage.Join join, List<(string Name, byte[] Metadata)> protocols, int rebalanceTimeout)
    {
        member.ClientId = join.Client.ClientId;
        member.ClientHost = join.Client.ClientHost;
        member.SessionTimeoutMs = join.Request.SessionTimeoutMs;
        member.RebalanceTimeoutMs = rebalanceTimeout;
        member.SessionDeadlineMs = NowMs + member.SessionTimeoutMs;
        if (_state == GroupState.PreparingRebalance) member.Protocols = protocols;
    }

    private bool ProtocolsChanged(GroupMember member, List<(string Name, byte[] Metadata)> protocols)
    {
        if (member.SameProtocols(protocols)) return false;
        // Restored members only know the chosen protocol's metadata: compare that one.
        return _protocol is null || !member.MetadataFor(_protocol).AsSpan().SequenceEqual(protocols.FirstOrDefault(p => p.Name == _protocol).Metadata);
    }

    private static void ReplaceAwaitingJoin(GroupMember member, TaskCompletionSource<JoinGroupResponse> reply)
    {
        // A member that sends JoinGroup again while its first one waits: the older request is answered as a retry would be.
        member.AwaitingJoin?.TrySetResult(JoinError(ErrorCode.RebalanceInProgress, member.MemberId));
        member.AwaitingJoin = reply;
    }

    private bool AcceptsProtocols(string protocolType, List<(string Name, byte[] Metadata)> protocols, string memberId)
    {
        var others = _members.Where(m => m.MemberId != memberId).ToList();
        if (others.Count == 0) return true;
        if (protocolType != _protocolType) return false;
        return protocols.Any(p => others.All(m => m.Protocols.Any(q => q.Name == p.Name)));
    }

    private void PrepareRebalance(string reason)
    {
        if (_state == GroupState.CompletingRebalance) ResetAssignments(ErrorCode.RebalanceInProgress);
        bool fromEmpty = _state == GroupState.Empty;
        TransitionTo(GroupState.PreparingRebalance);
        LogRebalance(reason);
        long now = NowMs;
        int rebalanceTimeout = _members.Count == 0 ? 0 : _members.Max(m => m.RebalanceTimeoutMs);
        _joinDeadlineMs = now + rebalanceTimeout;
        if (fromEmpty && _config.InitialRebalanceDelayMs > 0)
        {
            // Kafka's delayed initial rebalance: wait for more members, extending while they keep arriving.
            _initialDelayEndMs = now + Math.Min(_config.InitialRebalanceDelayMs, rebalanceTimeout);
            _initialDelayLimitMs = now + rebalanceTimeout;
            _membersAtDelayStart = _members.Count;
        }
        else
        {
            _initialDelayEndMs = -1;
        }
        TryCompleteJoin();
    }

    private void TryCompleteJoin()
    {
        if (_state != GroupState.PreparingRebalance) return;
        long now = NowMs;
        if (_initialDelayEndMs >= 0)
        {
            if (now < _initialDelayEndMs) return;
            if (_members.Count > _membersAtDelayStart && now + _config.InitialRebalanceDelayMs <= _initialDelayLimitMs)
            {
                _membersAtDelayStart = _members.Count;
                _initialDelayEndMs = now + _config.InitialRebalanceDelayMs;
                return;
            }
            _initialDelayEndMs = -1;
            CompleteJoin();
            return;
        }
        bool allJoined = _members.All(m => m.AwaitingJoin is not null) && _pendingMembers.Count == 0;
        if (allJoined || now >= _joinDeadlineMs) CompleteJoin();
    }

    private void CompleteJoin()
    {
        foreach (var gone in _members.Where(m => m.AwaitingJoin is null).ToList())
        {
            Logger.LogInformation("Group {Group}: member {Member} did not rejoin in time and is removed", _groupId, gone.MemberId);
            RemoveMember(gone);
        }
        _pendingMembers.Clear();
        _generation++;
        if (_members.Count == 0)
        {
            _protocol = null;
            _leader = null;
            TransitionTo(GroupState.Empty);
            _ = PersistGroupAsync();
            return;
        }
        _protocol = SelectProtocol();
        if (_leader is null || Find(_leader) is null) _leader = _members[0].MemberId;
        TransitionTo(GroupState.CompletingRebalance);
        long now = NowMs;
        _syncDeadlineMs = now + _members.Max(m => m.RebalanceTimeoutMs);
        foreach (var m in _members)
        {
            m.IsNew = false;
            m.SessionDeadlineMs = now + m.SessionTimeoutMs;
            var reply = m.AwaitingJoin!;
            m.AwaitingJoin = null;
            reply.TrySetResult(JoinResponseFor(m));
        }
        Logger.LogInformation("Group {Group}: generation {Generation} with {Count} members, protocol {Protocol}, leader {Leader}",
            _groupId, _generation, _members.Count, _protocol, _leader);
    }

    /// <summary>Each member votes for its most preferred protocol that every member supports; most votes wins.</summary>
    private string SelectProtocol()
    {
        var candidates = _members[0].Protocols.Select(p => p.Name)
            .Where(name => _members.All(m => m.Protocols.Any(p => p.Name == name))).ToList();
        return _members
            .Select(m => m.Protocols.First(p => candidates.Contains(p.Name)).Name)
            .GroupBy(name => name)
            .OrderByDescending(g => g.Count()).ThenBy(g => candidates.IndexOf(g.Key))
            .First().Key;
    }

    private JoinGroupResponse JoinResponseFor(GroupMember member)
    {
        var response = new JoinGroupResponse
        {
            GenerationId = _generation,
            ProtocolType = _protocolType,
            ProtocolName = _protocol,
            Leader = _leader ?? "",
            MemberId = member.MemberId,
        };
        if (member.MemberId == _leader)
        {
            foreach (var m in _members)
                response.Members.Add(new JoinGroupResponse.JoinGroupResponseMember
                {
                    MemberId = m.MemberId,
                    GroupInstanceId = m.GroupInstanceId,
                    Metadata = m.MetadataFor(_protocol!),
                });
        }
        return response;
    }

    private static JoinGroupResponse JoinError(ErrorCode error, string memberId) => new()
    {
        ErrorCode = (short)error,
        GenerationId = -1,
        ProtocolName = null,
        Leader = "",
        MemberId = memberId,
    };

    private static SyncGroupResponse SyncError(ErrorCode error) => new() { ErrorCode = (short)error, Assignment = Array.Empty<byte>() };

    private void ResetAssignments(ErrorCode error)
    {
        foreach (var m in _members)
        {
            m.Assignment = [];
            m.AwaitingSync?.TrySetResult(SyncError(error));
            m.AwaitingSync = null;
        }
    }

    private void RemoveMember(GroupMember member)
    {
        _members.Remove(member);
        if (member.GroupInstanceId is not null && _staticMembers.TryGetValue(member.GroupInstanceId, out var id) && id == member.MemberId)
            _staticMembers.Remove(member.GroupInstanceId);
        member.AwaitingJoin?.TrySetResult(JoinError(ErrorCode.UnknownMemberId, member.MemberId));
        member.AwaitingSync?.TrySetResult(SyncError(ErrorCode.UnknownMemberId));
        if (_leader == member.MemberId) _leader = _members.Count > 0 ? _members[0].MemberId : null;
    }

    /// <summary>A member left or expired: the others must rebalance (or the pending join may now complete).</summary>
    private void OnMemberGone(GroupMember member, string reason)
    {
        RemoveMember(member);
        switch (_state)
        {
            case GroupState.Stable or GroupState.CompletingRebalance:
                PrepareRebalance(reason);
                break;
            case GroupState.PreparingRebalance:
                TryCompleteJoin();
                break;
        }
    }

    private void EnsureTicking()
    {
        if (!IsTimerActive(TickTimer)) SchedulePeriodic(TickTimer, TickInterval, new GroupMessage.Tick());
    }
}
