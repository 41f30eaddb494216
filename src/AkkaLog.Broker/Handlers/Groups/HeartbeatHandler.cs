using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>Heartbeat (key 12): keeps a member's session alive and tells it when to rejoin.</summary>
public sealed class HeartbeatHandler(BrokerServices broker) : RequestHandler<HeartbeatRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.Heartbeat;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 4;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, HeartbeatRequest request, CancellationToken cancellationToken)
    {
        var error = GroupRequests.Check(broker.Groups, request.GroupId);
        if (error == ErrorCode.None)
        {
            error = await broker.Groups.AskAsync(request.GroupId, create: false,
                reply => new GroupMessage.Heartbeat(request.MemberId, context.ApiVersion >= 3 ? request.GroupInstanceId : null, request.GenerationId, reply),
                ErrorCode.UnknownMemberId);
        }
        return HandlerResult.Of(new HeartbeatResponse { ErrorCode = (short)error });
    }
}
