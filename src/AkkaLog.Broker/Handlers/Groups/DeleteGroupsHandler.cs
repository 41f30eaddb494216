using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>DeleteGroups (key 42): deletes empty groups and their committed offsets (NON_EMPTY_GROUP otherwise).</summary>
public sealed class DeleteGroupsHandler(BrokerServices broker) : RequestHandler<DeleteGroupsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.DeleteGroups;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 2;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, DeleteGroupsRequest request, CancellationToken cancellationToken)
    {
        var response = new DeleteGroupsResponse();
        foreach (string groupId in request.GroupsNames)
        {
            var error = GroupRequests.CheckAllowingEmpty(broker.Groups, groupId);
            if (error == ErrorCode.None)
                error = await broker.Groups.AskAsync(groupId, create: false, reply => new GroupMessage.Delete(reply), ErrorCode.GroupIdNotFound);
            response.Results.Add(new DeleteGroupsResponse.DeletableGroupResult { GroupId = groupId, ErrorCode = (short)error });
        }
        return HandlerResult.Of(response);
    }
}
