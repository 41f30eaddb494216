using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>
/// DescribeGroups (key 15): state, protocol and members of each group. A group that does not
/// exist is reported as Dead with no error, as Kafka does before v6.
/// </summary>
public sealed class DescribeGroupsHandler(BrokerServices broker) : RequestHandler<DescribeGroupsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.DescribeGroups;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 5;

    private static readonly GroupDescription Dead = new(GroupState.Dead, "", "", []);

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, DescribeGroupsRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeGroupsResponse();
        foreach (string groupId in request.Groups)
        {
            var described = new DescribeGroupsResponse.DescribedGroup { GroupId = groupId, AuthorizedOperations = int.MinValue };
            response.Groups.Add(described);
            var error = GroupRequests.CheckAllowingEmpty(broker.Groups, groupId);
            if (error != ErrorCode.None)
            {
                described.ErrorCode = (short)error;
                described.GroupState = "";
                continue;
            }
            var d = await broker.Groups.AskAsync(groupId, create: false, reply => new GroupMessage.Describe(reply), Dead);
            described.GroupState = d.State.ToString();
            described.ProtocolType = d.ProtocolType;
            described.ProtocolData = d.Protocol;
            foreach (var m in d.Members)
                described.Members.Add(new DescribeGroupsResponse.DescribedGroupMember
                {
                    MemberId = m.MemberId,
                    GroupInstanceId = m.GroupInstanceId,
                    ClientId = m.ClientId,
                    ClientHost = m.ClientHost,
                    MemberMetadata = m.Metadata,
                    MemberAssignment = m.Assignment,
                });
        }
        return HandlerResult.Of(response);
    }
}
