using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>
/// OffsetCommit (key 8): stores committed offsets in <c>__consumer_offsets</c>. Members commit
/// with their generation; generation -1 commits for an empty (or new) group (admin tools, manually
/// assigned consumers). Offsets are stored as given, negative ones included, and unknown topics or
/// partitions fail only their own entries. The v2-4 retention time is ignored: retention is the broker's
/// offsets.retention.minutes, as in Kafka since 2.1.
/// </summary>
public sealed class OffsetCommitHandler(BrokerServices broker) : RequestHandler<OffsetCommitRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.OffsetCommit;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 9;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, OffsetCommitRequest request, CancellationToken cancellationToken)
    {
        short v = context.ApiVersion;
        long now = broker.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var entries = new List<OffsetCommitEntry>();
        foreach (var topic in request.Topics)
            foreach (var p in topic.Partitions)
            {
                long timestamp = v == 1 && p.CommitTimestamp >= 0 ? p.CommitTimestamp : now;
                var offset = new CommittedOffset(p.CommittedOffset, v >= 6 ? p.CommittedLeaderEpoch : -1, p.CommittedMetadata ?? "", timestamp);
                // Negative offsets are stored as given, as Kafka does: kafkajs' resetOffsets commits
                // -2/-1 (earliest/latest) for clients to resolve, and rejecting them hung it.
                entries.Add(new OffsetCommitEntry(topic.Name, p.PartitionIndex, offset));
            }

        ErrorCode[] errors;
        var groupError = GroupRequests.CheckAllowingEmpty(broker.Groups, request.GroupId);
        if (groupError != ErrorCode.None)
        {
            errors = entries.Select(_ => groupError).ToArray();
        }
        else
        {
            int generation = v >= 1 ? request.GenerationIdOrMemberEpoch : -1;
            string memberId = v >= 1 ? request.MemberId : "";
            string? instanceId = v >= 7 ? request.GroupInstanceId : null;
            // Only a commit outside group management (generation -1) creates a group, as in Kafka; a
            // member's commit to a group that does not exist is stale (ILLEGAL_GENERATION, or
            // GROUP_ID_NOT_FOUND from v9) and must not leave an empty group behind.
            var missing = v >= 9 ? ErrorCode.GroupIdNotFound : ErrorCode.IllegalGeneration;
            errors = await broker.Groups.AskAsync(request.GroupId, create: generation < 0,
                reply => new GroupMessage.CommitOffsets(memberId, instanceId, generation, entries, reply),
                entries.Select(_ => missing).ToArray());
        }

        var response = new OffsetCommitResponse();
        int i = 0;
        foreach (var topic in request.Topics)
        {
            var t = new OffsetCommitResponse.OffsetCommitResponseTopic { Name = topic.Name };
            foreach (var p in topic.Partitions)
                t.Partitions.Add(new OffsetCommitResponse.OffsetCommitResponsePartition { PartitionIndex = p.PartitionIndex, ErrorCode = (short)errors[i++] });
            response.Topics.Add(t);
        }
        return HandlerResult.Of(response);
    }
}
