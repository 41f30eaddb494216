using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>LeaveGroup (key 13): one member (v0-2) or a batch of members (v3+, KIP-345) leave at once.</summary>
public sealed class LeaveGroupHandler(BrokerServices broker) : RequestHandler<LeaveGroupRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.LeaveGroup;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 5;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, LeaveGroupRequest request, CancellationToken cancellationToken)
    {
        var members = context.ApiVersion < 3
            ? [(request.MemberId, (string?)null)]
            : request.Members.Select(m => (m.MemberId, m.GroupInstanceId)).ToList();
        var response = new LeaveGroupResponse();
        var error = GroupRequests.Check(broker.Groups, request.GroupId);
        if (error != ErrorCode.None)
        {
            response.ErrorCode = (short)error;
            return HandlerResult.Of(response);
        }
        var (groupError, memberErrors) = await broker.Groups.AskAsync(request.GroupId, create: false,
            reply => new GroupMessage.Leave(members, reply),
            (ErrorCode.UnknownMemberId, members.Select(_ => ErrorCode.UnknownMemberId).ToArray()));
        response.ErrorCode = (short)(context.ApiVersion < 3 ? groupError : ErrorCode.None);
        if (context.ApiVersion >= 3 && groupError is ErrorCode.CoordinatorNotAvailable) response.ErrorCode = (short)groupError;
        for (int i = 0; i < members.Count && context.ApiVersion >= 3; i++)
            response.Members.Add(new LeaveGroupResponse.MemberResponse
            {
                MemberId = members[i].Item1,
                GroupInstanceId = members[i].Item2,
                ErrorCode = (short)memberErrors[i],
            });
        return HandlerResult.Of(response);
    }
}
