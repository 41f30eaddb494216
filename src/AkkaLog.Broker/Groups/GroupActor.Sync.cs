using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Groups;

/// <summary>SyncGroup, Heartbeat, LeaveGroup and the periodic tick (session expiry, join and sync deadlines).</summary>
internal sealed partial class GroupActor
{
    private async ValueTask HandleSyncAsync(GroupMessage.Sync sync)
    {
        var req = sync.Request;
        var member = Find(req.MemberId);
        string? instanceId = sync.Version >= 3 ? req.GroupInstanceId : null;
        ErrorCode error = _state == GroupState.Dead ? ErrorCode.CoordinatorNotAvailable
            : IsFenced(instanceId, req.MemberId) ? ErrorCode.FencedInstanceId
            : member is null ? ErrorCode.UnknownMemberId
            : req.GenerationId != _generation ? ErrorCode.IllegalGeneration
            : sync.Version >= 5 && ((req.ProtocolType is { } t && t != _protocolType) || (req.ProtocolName is { } n && n != _protocol))
                ? ErrorCode.InconsistentGroupProtocol
            : _state == GroupState.Empty ? ErrorCode.UnknownMemberId
            : _state == GroupState.PreparingRebalance ? ErrorCode.RebalanceInProgress
            : ErrorCode.None;
        if (error != ErrorCode.None) { sync.Reply.TrySetResult(SyncError(error)); return; }

        member!.SessionDeadlineMs = NowMs + member.SessionTimeoutMs;
        if (_state == GroupState.Stable)
        {
            sync.Reply.TrySetResult(SyncResponse(member));
            return;
        }
        // CompletingRebalance: park until the leader's assignment is stored.
        member.AwaitingSync?.TrySetResult(SyncError(ErrorCode.RebalanceInProgress));
        member.AwaitingSync = sync.Reply;
        if (member.MemberId != _leader) return;

        var assignments = req.Assignments.ToDictionary(a => a.MemberId, a => a.Assignment.ToArray(), StringComparer.Ordinal);
        foreach (var m in _members) m.Assignment = assignments.TryGetValue(m.MemberId, out var a) ? a : [];
        int generation = _generation;
        var written = await PersistGroupAsync();
        if (_state != GroupState.CompletingRebalance || _generation != generation) return; // superseded while writing
        if (written != ErrorCode.None)
        {
            Logger.LogWarning("Group {Group}: storing the assignment of generation {Generation} failed: {Error}", _groupId, generation, written);
            ResetAssignments(written);
            PrepareRebalance("storing the assignment failed");
            return;
        }
        TransitionTo(GroupState.Stable);
        foreach (var m in _members)
        {
            m.AwaitingSync?.TrySetResult(SyncResponse(m));
            m.AwaitingSync = null;
        }
    }

    private SyncGroupResponse SyncResponse(GroupMember member) => new()
    {
        ProtocolType = _protocolType,
        ProtocolName = _protocol,
        Assignment = member.Assignment,
    };

    private bool IsFenced(string? instanceId, string memberId) =>
        instanceId is not null && _staticMembers.TryGetValue(instanceId, out var current) && current != memberId;

    private ErrorCode HandleHeartbeat(GroupMessage.Heartbeat hb)
    {
        if (_state == GroupState.Dead) return ErrorCode.CoordinatorNotAvailable;
        if (IsFenced(hb.GroupInstanceId, hb.MemberId)) return ErrorCode.FencedInstanceId;
        var member = Find(hb.MemberId);
        if (member is null || _state == GroupState.Empty) return ErrorCode.UnknownMemberId;
        if (hb.Generation != _generation) return ErrorCode.IllegalGeneration;
        member.SessionDeadlineMs = NowMs + member.SessionTimeoutMs;
        return _state == GroupState.PreparingRebalance ? ErrorCode.RebalanceInProgress : ErrorCode.None;
    }

    private void HandleLeave(GroupMessage.Leave leave)
    {
        if (_state == GroupState.Dead)
        {
            leave.Reply.TrySetResult((ErrorCode.CoordinatorNotAvailable, leave.Members.Select(_ => ErrorCode.CoordinatorNotAvailable).ToArray()));
            return;
        }
        var errors = new ErrorCode[leave.Members.Count];
        for (int i = 0; i < leave.Members.Count; i++)
        {
            var (memberId, instanceId) = leave.Members[i];
            if (instanceId is not null)
            {
                if (!_staticMembers.TryGetValue(instanceId, out var current)) { errors[i] = ErrorCode.UnknownMemberId; continue; }
                if (memberId.Length > 0 && current != memberId) { errors[i] = ErrorCode.FencedInstanceId; continue; }
                memberId = current;
            }
            if (_pendingMembers.Remove(memberId)) { TryCompleteJoin(); continue; }
            if (Find(memberId) is not { } member) { errors[i] = ErrorCode.UnknownMemberId; continue; }
            Logger.LogInformation("Group {Group}: member {Member} left", _groupId, memberId);
            OnMemberGone(member, $"member {memberId} left");
        }
        // v0-2 name one member, whose error is the request's error.
        leave.Reply.TrySetResult((errors.Length == 1 ? errors[0] : ErrorCode.None, errors));
    }

    private void OnTick()
    {
        long now = NowMs;
        foreach (var (id, deadline) in _pendingMembers.ToList())
            if (now >= deadline) _pendingMembers.Remove(id);
        foreach (var m in _members.ToList())
        {
            // Members parked in a join keep their session (Kafka does the same); a new member that
            // never completes a generation is dropped when the join phase ends.
            if (m.AwaitingJoin is not null || m.AwaitingSync is not null || now < m.SessionDeadlineMs) continue;
            if (!_members.Contains(m)) continue;
            Logger.LogInformation("Group {Group}: member {Member} session expired", _groupId, m.MemberId);
            OnMemberGone(m, $"member {m.MemberId} session timed out");
        }
        if (_state == GroupState.PreparingRebalance) TryCompleteJoin();
        if (_state == GroupState.CompletingRebalance && now >= _syncDeadlineMs)
        {
            // The leader (or someone) never synced: those who did not are removed and the rest rebalance.
            foreach (var m in _members.Where(m => m.AwaitingSync is null).ToList()) RemoveMember(m);
            PrepareRebalance("SyncGroup not received in time");
        }
    }
}
