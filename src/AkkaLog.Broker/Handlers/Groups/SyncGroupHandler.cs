using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>SyncGroup (key 14): the leader hands in the assignment; every member gets its share.</summary>
public sealed class SyncGroupHandler(BrokerServices broker) : RequestHandler<SyncGroupRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.SyncGroup;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 5;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, SyncGroupRequest request, CancellationToken cancellationToken)
    {
        var error = GroupRequests.Check(broker.Groups, request.GroupId);
        if (error != ErrorCode.None) return HandlerResult.Of(new SyncGroupResponse { ErrorCode = (short)error });
        var response = await broker.Groups.AskAsync(request.GroupId, create: false,
            reply => new GroupMessage.Sync(request, context.ApiVersion, reply),
            new SyncGroupResponse { ErrorCode = (short)ErrorCode.UnknownMemberId });
        return HandlerResult.Of(response);
    }
}
