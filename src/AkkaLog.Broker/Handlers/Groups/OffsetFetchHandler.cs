using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>
/// OffsetFetch (key 9): a group's committed offsets, -1 where nothing is committed. Null topics
/// (v2+) mean every committed partition. v8+ asks for several groups in one request.
/// </summary>
public sealed class OffsetFetchHandler(BrokerServices broker) : RequestHandler<OffsetFetchRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.OffsetFetch;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 9;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, OffsetFetchRequest request, CancellationToken cancellationToken)
    {
        var response = new OffsetFetchResponse();
        if (context.ApiVersion >= 8)
        {
            foreach (var g in request.Groups)
            {
                var wanted = g.Topics?.Select(t => (t.Name, (IReadOnlyList<int>?)t.PartitionIndexes)).ToList();
                var (error, offsets) = await FetchAsync(g.GroupId, wanted);
                var group = new OffsetFetchResponse.OffsetFetchResponseGroup { GroupId = g.GroupId, ErrorCode = (short)error };
                foreach (var byTopic in offsets.GroupBy(o => o.Topic))
                {
                    var t = new OffsetFetchResponse.OffsetFetchResponseTopics { Name = byTopic.Key };
                    foreach (var (_, partition, offset) in byTopic)
                        t.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartitions
                        {
                            PartitionIndex = partition,
                            CommittedOffset = offset?.Offset ?? -1,
                            CommittedLeaderEpoch = offset?.LeaderEpoch ?? -1,
                            Metadata = offset?.Metadata ?? "",
                        });
                    group.Topics.Add(t);
                }
                response.Groups.Add(group);
            }
            return HandlerResult.Of(response);
        }

        var topics = request.Topics?.Select(t => (t.Name, (IReadOnlyList<int>?)t.PartitionIndexes)).ToList();
        var (groupError, result) = await FetchAsync(request.GroupId, topics);
        response.ErrorCode = (short)groupError;
        if (groupError != ErrorCode.None && context.ApiVersion < 2 && topics is not null)
        {
            // v0-1 have no group-level error: report it on every partition asked for.
            result = topics.SelectMany(t => t.Item2!.Select(p => (t.Name, p, (CommittedOffset?)null))).ToList();
        }
        foreach (var byTopic in result.GroupBy(o => o.Topic))
        {
            var t = new OffsetFetchResponse.OffsetFetchResponseTopic { Name = byTopic.Key };
            foreach (var (_, partition, offset) in byTopic)
                t.Partitions.Add(new OffsetFetchResponse.OffsetFetchResponsePartition
                {
                    PartitionIndex = partition,
                    CommittedOffset = offset?.Offset ?? -1,
                    CommittedLeaderEpoch = offset?.LeaderEpoch ?? -1,
                    Metadata = offset?.Metadata ?? "",
                    ErrorCode = (short)(context.ApiVersion < 2 ? groupError : ErrorCode.None),
                });
            response.Topics.Add(t);
        }
        return HandlerResult.Of(response);
    }

    private async Task<(ErrorCode, IReadOnlyList<(string Topic, int Partition, CommittedOffset? Offset)>)> FetchAsync(
        string groupId, IReadOnlyList<(string Name, IReadOnlyList<int>? Partitions)>? topics)
    {
        var error = GroupRequests.CheckAllowingEmpty(broker.Groups, groupId);
        if (error != ErrorCode.None) return (error, []);
        // A group that does not exist has nothing committed: -1 for each partition asked for.
        IReadOnlyList<(string, int, CommittedOffset?)> none = topics is null ? []
            : topics.SelectMany(t => (t.Partitions ?? []).Select(p => (t.Name, p, (CommittedOffset?)null))).ToList();
        var offsets = await broker.Groups.AskAsync(groupId, create: false, reply => new GroupMessage.FetchOffsets(topics, reply), none);
        return (ErrorCode.None, offsets);
    }
}
