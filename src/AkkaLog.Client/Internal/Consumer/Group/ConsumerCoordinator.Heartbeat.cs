using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Consumer.Group;

internal sealed partial class ConsumerCoordinator
{
    /// <summary>
    /// One heartbeat of a stable member. REBALANCE_IN_PROGRESS: rejoin, keeping the partitions (an
    /// eager member gives them up first). ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID: the coordinator
    /// dropped us (session timeout, or another member took over our static id), so our partitions are
    /// lost, not revoked; rejoin (afresh, without member id, for UNKNOWN_MEMBER_ID).
    /// </summary>
    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastHeartbeatTicks, Environment.TickCount64);
        var error = await SendHeartbeatAsync(cancellationToken).ConfigureAwait(false);
        switch (error)
        {
            case ErrorCode.None:
                return;
            case ErrorCode.RebalanceInProgress:
                lock (_lock) _rejoin = true;
                return;
            case ErrorCode.IllegalGeneration:
                lock (_lock) (_generation, _lost, _rejoin) = (-1, true, true);
                return;
            case ErrorCode.UnknownMemberId:
                lock (_lock) (_memberId, _generation, _lost, _rejoin) = ("", -1, true, true);
                return;
            default:
                throw CoordinatorError(error, "Heartbeat");
        }
    }

    private async Task<ErrorCode> SendHeartbeatAsync(CancellationToken cancellationToken)
    {
        string memberId;
        int generation;
        lock (_lock) (memberId, generation) = (_memberId, _generation);
        var connection = await GroupConnectionAsync(cancellationToken).ConfigureAwait(false);
        var request = new HeartbeatRequest
        {
            GroupId = GroupId, GenerationId = generation, MemberId = memberId, GroupInstanceId = _settings.GroupInstanceId,
        };
        var response = await connection.SendAsync<HeartbeatResponse>(request, cancellationToken).ConfigureAwait(false);
        return ErrorCodes.Normalize(response.ErrorCode);
    }

    /// <summary>
    /// Waits for work on the consumer thread, heartbeating meanwhile so a slow handler (or an
    /// application slow to call Consume) does not cost the session. Heartbeat answers are ignored
    /// here: mid-rebalance they are REBALANCE_IN_PROGRESS by design.
    /// </summary>
    private async Task WhileHeartbeatingAsync(Task work, CancellationToken cancellationToken)
    {
        while (!work.IsCompleted)
        {
            var tick = Task.Delay(TimeSpan.FromMilliseconds(_settings.HeartbeatIntervalMs), cancellationToken);
            if (await Task.WhenAny(work, tick).ConfigureAwait(false) == work) break;
            cancellationToken.ThrowIfCancellationRequested();
            bool member;
            lock (_lock) member = _generation >= 0 && _memberId.Length > 0;
            if (!member) continue;
            try
            {
                await SendHeartbeatAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException)
            {
                // Best effort; the rebalance itself reports what matters.
            }
        }
        await work.ConfigureAwait(false);
    }

    /// <summary>
    /// The application did not call Consume within max.poll.interval.ms: leave the group so the others
    /// can take over, as Java does; our partitions count as lost. The next Consume starts a rejoin.
    /// </summary>
    private async Task PollTimeoutAsync(CancellationToken cancellationToken)
    {
        System.Diagnostics.Trace.TraceWarning(
            $"akkalog consumer group '{GroupId}': no Consume call for over max.poll.interval.ms ({_settings.MaxPollIntervalMs} ms); leaving the group");
        await LeaveGroupAsync("consumer poll timeout has expired", cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            if (_settings.GroupInstanceId is null) _memberId = "";
            (_generation, _lost, _rejoin) = (-1, true, true);
        }
        _pollExpired = true;
        // A Consume call may have come in while we were leaving; then rejoin at once.
        if (Environment.TickCount64 - Volatile.Read(ref _lastPollTicks) < _settings.MaxPollIntervalMs) _pollExpired = false;
    }

    /// <summary>LeaveGroup for a dynamic member; errors are ignored (the session timeout removes us anyway).</summary>
    private async Task LeaveGroupAsync(string reason, CancellationToken cancellationToken)
    {
        string memberId;
        lock (_lock) memberId = _memberId;
        if (memberId.Length == 0 || _settings.GroupInstanceId is not null) return;
        try
        {
            var connection = await GroupConnectionAsync(cancellationToken).ConfigureAwait(false);
            short version = connection.Versions.Pick(ApiKey.LeaveGroup);
            // v3+ (KIP-345) leaves in batches of member identities; older versions name one member.
            var request = version >= 3
                ? new LeaveGroupRequest
                {
                    GroupId = GroupId,
                    Members = [new LeaveGroupRequest.MemberIdentity { MemberId = memberId, Reason = version >= 5 ? reason : null }],
                }
                : new LeaveGroupRequest { GroupId = GroupId, MemberId = memberId };
            await connection.SendAsync<LeaveGroupResponse>(request, version, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KafkaException or OperationCanceledException)
        {
            System.Diagnostics.Trace.TraceWarning($"akkalog consumer group '{GroupId}': LeaveGroup failed: {e.Message}");
        }
    }
}
