using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>
/// OffsetCommit (key 8): stores committed offsets in <c>__consumer_offsets</c>. Members commit
/// with their generation; generation -1 with no member id commits for an empty group (admin tools,
/// manually assigned consumers). The v2-4 retention time is ignored: retention is the broker's
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
                entries.Add(new OffsetCommitEntry(topic.Name, p.PartitionIndex, offset,
                    p.CommittedOffset < 0 ? ErrorCode.InvalidCommitOffsetSize : ErrorCode.None));
            }

        ErrorCode[] errors;
        var groupError = GroupRequests.Check(broker.Groups, request.GroupId);
        if (groupError != ErrorCode.None)
        {
            errors = entries.Select(_ => groupError).ToArray();
        }
        else
        {
            int generation = v >= 1 ? request.GenerationIdOrMemberEpoch : -1;
            string memberId = v >= 1 ? request.MemberId : "";
            string? instanceId = v >= 7 ? request.GroupInstanceId : null;
            errors = await broker.Groups.AskAsync(request.GroupId, create: true,
                reply => new GroupMessage.CommitOffsets(memberId, instanceId, generation, entries, reply),
                entries.Select(_ => ErrorCode.CoordinatorNotAvailable).ToArray());
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
