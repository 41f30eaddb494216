using AkkaLog.Client.Internal.Consumer.Assignors;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Consumer.Group;

internal sealed partial class ConsumerCoordinator
{
    /// <summary>JoinGroup and SyncGroup may be held by the broker for the rebalance timeout; Java allows 5 s more.</summary>
    private TimeSpan RebalanceRequestTimeout => TimeSpan.FromMilliseconds(_settings.MaxPollIntervalMs + 5000L);

    /// <summary>
    /// One rebalance round: give up partitions as the protocol requires, JoinGroup, compute the
    /// assignment when leader, SyncGroup, apply. Returns early (with <c>_rejoin</c> still set) when the
    /// round must start over: MEMBER_ID_REQUIRED (KIP-394: the broker hands out the id in an error,
    /// we join again with it), UNKNOWN_MEMBER_ID (join afresh with no id), ILLEGAL_GENERATION,
    /// REBALANCE_IN_PROGRESS during sync.
    /// </summary>
    private async Task RebalanceAsync(CancellationToken cancellationToken)
    {
        string[] topics;
        bool lost;
        lock (_lock)
        {
            topics = _topics;
            lost = _lost;
            _lost = false;
        }
        var owned = _listener.Owned();
        if (owned.Count > 0)
        {
            // Lost: the generation is gone, nothing can be committed. Eager: give up everything before
            // joining. Cooperative: only what the subscription no longer covers.
            var giveUp = lost || _protocol == RebalanceProtocol.Eager ? owned : owned.Where(tp => !topics.Contains(tp.Topic)).ToList();
            if (giveUp.Count > 0) await WhileHeartbeatingAsync(_listener.RevokeAsync(giveUp, lost, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        await EnsureMetadataAsync(topics, cancellationToken).ConfigureAwait(false);
        var counts = PartitionCounts(topics);
        var join = await JoinAsync(topics, cancellationToken).ConfigureAwait(false);
        if (join is null) return;
        bool leader = join.Leader == join.MemberId;
        List<SyncGroupRequest.SyncGroupRequestAssignment> assignments = [];
        if (leader && !join.SkipAssignment)
            (assignments, counts) = await AssignAsync(join, cancellationToken).ConfigureAwait(false);
        var assigned = await SyncAsync(join, assignments, cancellationToken).ConfigureAwait(false);
        if (assigned is null) return;

        // The leader may have assigned from an older subscription of ours: keep what we subscribe to, rejoin for the rest.
        bool stray = assigned.RemoveAll(tp => !topics.Contains(tp.Topic)) > 0;
        owned = _listener.Owned();
        var revoked = owned.Except(assigned).ToList();
        var added = assigned.Except(owned).ToList();
        if (revoked.Count > 0) await WhileHeartbeatingAsync(_listener.RevokeAsync(revoked, lost: false, cancellationToken), cancellationToken).ConfigureAwait(false);
        await WhileHeartbeatingAsync(_listener.AssignAsync(added, cancellationToken), cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            // Cooperative: what we gave up goes to its new owner in a follow-up rebalance.
            _rejoin = stray || (revoked.Count > 0 && _protocol == RebalanceProtocol.Cooperative) || !_topics.SequenceEqual(topics);
            _partitionCounts = counts;
        }
        Volatile.Write(ref _lastHeartbeatTicks, Environment.TickCount64);
    }

    private async Task<JoinGroupResponse?> JoinAsync(string[] topics, CancellationToken cancellationToken)
    {
        var connection = await GroupConnectionAsync(cancellationToken).ConfigureAwait(false);
        short version = connection.Versions.Pick(ApiKey.JoinGroup);
        if (_settings.GroupInstanceId is not null && version < 5)
            throw new KafkaException(ErrorCode.UnsupportedVersion, $"group.instance.id needs JoinGroup v5+; the coordinator speaks up to v{version}");
        string memberId;
        int generation;
        lock (_lock) (memberId, generation) = (_memberId, _generation);
        var owned = _listener.Owned();
        var request = new JoinGroupRequest
        {
            GroupId = GroupId,
            SessionTimeoutMs = _settings.SessionTimeoutMs,
            RebalanceTimeoutMs = _settings.MaxPollIntervalMs,
            MemberId = memberId,
            GroupInstanceId = _settings.GroupInstanceId,
            ProtocolType = ConsumerProtocolCodec.ProtocolType,
            Protocols = _assignors.Select(a => new JoinGroupRequest.JoinGroupRequestProtocol
            {
                Name = a.Name,
                Metadata = ConsumerProtocolCodec.EncodeSubscription(topics, owned, generation, a.SubscriptionUserData(generation)),
            }).ToList(),
            Reason = version >= 8 ? "rebalance needed" : null,
        };
        var response = await connection.SendAsync<JoinGroupResponse>(request, version, RebalanceRequestTimeout, cancellationToken).ConfigureAwait(false);
        var error = ErrorCodes.Normalize(response.ErrorCode);
        switch (error)
        {
            case ErrorCode.None:
                lock (_lock) (_memberId, _generation) = (response.MemberId, response.GenerationId);
                return response;
            case ErrorCode.MemberIdRequired:
                lock (_lock) _memberId = response.MemberId;
                return null;
            case ErrorCode.UnknownMemberId:
                lock (_lock) (_memberId, _generation) = ("", -1);
                return null;
            case ErrorCode.IllegalGeneration:
                lock (_lock) _generation = -1;
                return null;
            case ErrorCode.RebalanceInProgress:
                // Our join was superseded (we sent another) or the group is busy: try again shortly.
                await Task.Delay(_settings.RetryBackoff, cancellationToken).ConfigureAwait(false);
                return null;
            default:
                throw CoordinatorError(error, "JoinGroup");
        }
    }

    /// <summary>The leader's job: decode every member's subscription and run the chosen assignor.</summary>
    private async Task<(List<SyncGroupRequest.SyncGroupRequestAssignment>, Dictionary<string, int>)> AssignAsync(JoinGroupResponse join,
        CancellationToken cancellationToken)
    {
        var assignor = _assignors.FirstOrDefault(a => a.Name == join.ProtocolName)
                       ?? throw new KafkaException(ErrorCode.InconsistentGroupProtocol, $"the group chose assignor '{join.ProtocolName}', which this consumer did not offer");
        var members = join.Members.Select(m => ConsumerProtocolCodec.DecodeSubscription(m.MemberId, m.GroupInstanceId, m.Metadata)).ToList();
        var topics = members.SelectMany(m => m.Topics).Distinct(StringComparer.Ordinal).ToArray();
        await EnsureMetadataAsync(topics, cancellationToken).ConfigureAwait(false);
        var counts = PartitionCounts(topics);
        var result = assignor.Assign(counts.Where(kv => kv.Value > 0).ToDictionary(), members);
        var assignments = result.Select(kv => new SyncGroupRequest.SyncGroupRequestAssignment
        {
            MemberId = kv.Key, Assignment = ConsumerProtocolCodec.EncodeAssignment(kv.Value),
        }).ToList();
        // The leader watches every topic of the group for partition changes, not just its own.
        return (assignments, counts);
    }

    private async Task<List<TopicPartition>?> SyncAsync(JoinGroupResponse join, List<SyncGroupRequest.SyncGroupRequestAssignment> assignments,
        CancellationToken cancellationToken)
    {
        var connection = await GroupConnectionAsync(cancellationToken).ConfigureAwait(false);
        short version = connection.Versions.Pick(ApiKey.SyncGroup);
        var request = new SyncGroupRequest
        {
            GroupId = GroupId,
            GenerationId = join.GenerationId,
            MemberId = join.MemberId,
            GroupInstanceId = _settings.GroupInstanceId,
            ProtocolType = ConsumerProtocolCodec.ProtocolType,
            ProtocolName = join.ProtocolName,
            Assignments = assignments,
        };
        var response = await connection.SendAsync<SyncGroupResponse>(request, version, RebalanceRequestTimeout, cancellationToken).ConfigureAwait(false);
        var error = ErrorCodes.Normalize(response.ErrorCode);
        switch (error)
        {
            case ErrorCode.None:
                return ConsumerProtocolCodec.DecodeAssignment(response.Assignment);
            case ErrorCode.RebalanceInProgress:
                return null;
            case ErrorCode.UnknownMemberId:
                lock (_lock) (_memberId, _generation) = ("", -1);
                return null;
            case ErrorCode.IllegalGeneration:
                lock (_lock) _generation = -1;
                return null;
            default:
                throw CoordinatorError(error, "SyncGroup");
        }
    }

    /// <summary>
    /// Makes sure the metadata holds an answer for each topic (present, or known to be missing), so the
    /// partition counts noted for the assignment are real and not merely "not fetched yet".
    /// </summary>
    private async Task EnsureMetadataAsync(IReadOnlyCollection<string> topics, CancellationToken cancellationToken)
    {
        foreach (var t in topics) _core.Metadata.Track(t);
        if (topics.All(t => _core.Metadata.Current.Topics.ContainsKey(t))) return;
        try
        {
            await _core.Metadata.RefreshAsync().WaitAsync(_settings.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KafkaException or TimeoutException)
        {
            // Assign with what is known; a later metadata update with new counts triggers a rejoin.
        }
    }

    /// <summary>Partition counts from the current metadata, 0 for topics that do not exist (yet).</summary>
    private Dictionary<string, int> PartitionCounts(IEnumerable<string> topics)
    {
        var metadata = _core.Metadata.Current;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var t in topics)
            counts[t] = metadata.Topics.TryGetValue(t, out var info) && info.Error == ErrorCode.None ? info.Partitions.Length : 0;
        return counts;
    }
}
