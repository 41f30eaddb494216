using AkkaLog.Protocol;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Groups;

/// <summary>OffsetCommit, OffsetFetch, OffsetDelete, DeleteGroups and offset retention.</summary>
internal sealed partial class GroupActor
{
    private async ValueTask HandleCommitAsync(GroupMessage.CommitOffsets commit)
    {
        var errors = new ErrorCode[commit.Offsets.Count];
        var groupError = ValidateCommit(commit);
        if (groupError != ErrorCode.None)
        {
            Array.Fill(errors, groupError);
            commit.Reply.TrySetResult(errors);
            return;
        }
        var records = new List<(byte[] Key, byte[]? Value)>(commit.Offsets.Count);
        var accepted = new List<int>(commit.Offsets.Count);
        for (int i = 0; i < commit.Offsets.Count; i++)
        {
            var entry = commit.Offsets[i];
            errors[i] = !_context.PartitionExists(entry.Topic, entry.Partition) ? ErrorCode.UnknownTopicOrPartition
                // Kafka compares String.length() (UTF-16 units, as .NET's Length), not encoded bytes.
                : entry.Offset.Metadata.Length > _config.OffsetMetadataMaxBytes ? ErrorCode.OffsetMetadataTooLarge
                : ErrorCode.None;
            if (errors[i] != ErrorCode.None) continue;
            records.Add((OffsetsTopicRecords.OffsetKey(_groupId, entry.Topic, entry.Partition), OffsetsTopicRecords.OffsetValue(entry.Offset)));
            accepted.Add(i);
        }
        if (records.Count > 0)
        {
            var written = await _context.Log.WriteAsync(records);
            foreach (int i in accepted)
            {
                if (written == ErrorCode.None) _offsets[(commit.Offsets[i].Topic, commit.Offsets[i].Partition)] = commit.Offsets[i].Offset;
                else errors[i] = CommitWriteError(written);
            }
        }
        commit.Reply.TrySetResult(errors);
    }

    private ErrorCode ValidateCommit(GroupMessage.CommitOffsets commit)
    {
        if (_state == GroupState.Dead) return ErrorCode.CoordinatorNotAvailable;
        // A commit outside group membership (generation -1: admin tools, manual assignment) is
        // allowed while the group has no members, whatever member id it names (as in Kafka).
        if (commit.Generation < 0 && _state == GroupState.Empty) return ErrorCode.None;
        if (IsFenced(commit.GroupInstanceId, commit.MemberId)) return ErrorCode.FencedInstanceId;
        if (Find(commit.MemberId) is not { } member) return ErrorCode.UnknownMemberId;
        if (commit.Generation != _generation) return ErrorCode.IllegalGeneration;
        if (_state == GroupState.CompletingRebalance) return ErrorCode.RebalanceInProgress;
        member.SessionDeadlineMs = NowMs + member.SessionTimeoutMs; // a commit counts as a sign of life
        return ErrorCode.None;
    }

    /// <summary>Kafka's mapping of a failed offsets-topic write to what the committing client is told.</summary>
    private static ErrorCode CommitWriteError(ErrorCode written) => written switch
    {
        ErrorCode.MessageTooLarge or ErrorCode.RecordListTooLarge or ErrorCode.InvalidFetchSize => ErrorCode.InvalidCommitOffsetSize,
        ErrorCode.UnknownTopicOrPartition or ErrorCode.NotEnoughReplicas or ErrorCode.RequestTimedOut => ErrorCode.CoordinatorNotAvailable,
        ErrorCode.NotLeaderOrFollower => ErrorCode.NotCoordinator,
        _ => written,
    };

    private void HandleFetch(GroupMessage.FetchOffsets fetch)
    {
        var result = new List<(string, int, CommittedOffset?)>();
        if (fetch.Topics is null)
        {
            foreach (var ((topic, partition), offset) in _offsets.OrderBy(o => o.Key.Topic, StringComparer.Ordinal).ThenBy(o => o.Key.Partition))
                result.Add((topic, partition, offset));
        }
        else
        {
            foreach (var (topic, partitions) in fetch.Topics)
            {
                var wanted = partitions ?? _offsets.Keys.Where(k => k.Topic == topic).Select(k => k.Partition).Order().ToList();
                foreach (int p in wanted) result.Add((topic, p, _offsets.GetValueOrDefault((topic, p))));
            }
        }
        fetch.Reply.TrySetResult(result);
    }

    private async ValueTask HandleDeleteOffsetsAsync(GroupMessage.DeleteOffsets delete)
    {
        var errors = new ErrorCode[delete.Partitions.Count];
        if (_state == GroupState.Dead || (_state == GroupState.Empty && _offsets.Count == 0 && _generation == 0))
        {
            delete.Reply.TrySetResult((ErrorCode.GroupIdNotFound, errors));
            return;
        }
        if (_state != GroupState.Empty && _protocolType != ConsumerProtocol.ProtocolType)
        {
            delete.Reply.TrySetResult((ErrorCode.NonEmptyGroup, errors));
            return;
        }
        var subscribed = SubscribedTopics();
        var tombstones = new List<(byte[], byte[]?)>();
        var removed = new List<(string, int)>();
        for (int i = 0; i < delete.Partitions.Count; i++)
        {
            var (topic, partition) = delete.Partitions[i];
            if (_state != GroupState.Empty && subscribed.Contains(topic)) { errors[i] = ErrorCode.GroupSubscribedToTopic; continue; }
            if (!_offsets.ContainsKey((topic, partition))) continue;
            tombstones.Add((OffsetsTopicRecords.OffsetKey(_groupId, topic, partition), null));
            removed.Add((topic, partition));
        }
        if (tombstones.Count > 0)
        {
            var written = await _context.Log.WriteAsync(tombstones);
            if (written != ErrorCode.None)
            {
                delete.Reply.TrySetResult((CommitWriteError(written), errors));
                return;
            }
            foreach (var key in removed) _offsets.Remove(key);
        }
        delete.Reply.TrySetResult((ErrorCode.None, errors));
    }

    private HashSet<string> SubscribedTopics()
    {
        var topics = new HashSet<string>(StringComparer.Ordinal);
        if (_protocolType != ConsumerProtocol.ProtocolType || _protocol is null) return topics;
        foreach (var m in _members) topics.UnionWith(ConsumerProtocol.SubscribedTopics(m.MetadataFor(_protocol)));
        return topics;
    }

    private async ValueTask HandleDeleteGroupAsync(GroupMessage.Delete delete)
    {
        if (_state == GroupState.Dead) { delete.Reply.TrySetResult(ErrorCode.GroupIdNotFound); return; }
        if (_state != GroupState.Empty) { delete.Reply.TrySetResult(ErrorCode.NonEmptyGroup); return; }
        var tombstones = _offsets.Keys.Select(k => (OffsetsTopicRecords.OffsetKey(_groupId, k.Topic, k.Partition), (byte[]?)null)).ToList();
        tombstones.Add((OffsetsTopicRecords.GroupKey(_groupId), null));
        var written = await _context.Log.WriteAsync(tombstones);
        if (written != ErrorCode.None) { delete.Reply.TrySetResult(CommitWriteError(written)); return; }
        BecomeDead();
        delete.Reply.TrySetResult(ErrorCode.None);
    }

    private void BecomeDead()
    {
        _offsets.Clear();
        TransitionTo(GroupState.Dead);
        CancelTimer("expire-offsets");
        _context.Removed(_groupId);
        StopSelf();
    }

    /// <summary>
    /// Offset retention as Kafka 2.1+ does it: an empty group's offsets expire once the group has
    /// been empty for offsets.retention.minutes; a consumer group's offsets for topics no member
    /// subscribes to expire that long after their commit. An empty group with no offsets is deleted at
    /// the next check, as Kafka's offsets cleanup does.
    /// </summary>
    private async ValueTask ExpireOffsetsAsync()
    {
        long now = NowMs;
        long retention = _config.OffsetsRetentionMs;
        var subscribed = _state == GroupState.Empty ? null : SubscribedTopics();
        if (subscribed is not null && _protocolType != ConsumerProtocol.ProtocolType) return; // unknown protocol: keep while active
        var expired = _offsets.Where(o => subscribed is null
                ? Math.Max(_stateTimestampMs, o.Value.CommitTimestampMs) + retention <= now
                : !subscribed.Contains(o.Key.Topic) && o.Value.CommitTimestampMs + retention <= now)
            .Select(o => o.Key).ToList();
        if (expired.Count > 0)
        {
            var tombstones = expired.Select(k => (OffsetsTopicRecords.OffsetKey(_groupId, k.Topic, k.Partition), (byte[]?)null)).ToList();
            if (await _context.Log.WriteAsync(tombstones) != ErrorCode.None) return;
            foreach (var k in expired) _offsets.Remove(k);
            Logger.LogInformation("Group {Group}: expired {Count} committed offsets", _groupId, expired.Count);
        }
        if (_state == GroupState.Empty && _offsets.Count == 0 && _pendingMembers.Count == 0)
        {
            if (await _context.Log.WriteAsync([(OffsetsTopicRecords.GroupKey(_groupId), null)]) == ErrorCode.None) BecomeDead();
        }
    }
}
