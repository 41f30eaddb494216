using AkkaLog.Broker.Groups;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>JoinGroup (key 11): joins or rejoins a group; the answer comes when the rebalance completes.</summary>
public sealed class JoinGroupHandler(BrokerServices broker) : RequestHandler<JoinGroupRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.JoinGroup;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 9;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, JoinGroupRequest request, CancellationToken cancellationToken)
    {
        var error = GroupRequests.Check(broker.Groups, request.GroupId);
        if (error != ErrorCode.None)
            return HandlerResult.Of(new JoinGroupResponse { ErrorCode = (short)error, GenerationId = -1, Leader = "", MemberId = request.MemberId, ProtocolName = null });
        var client = GroupRequests.ClientOf(context);
        var response = await broker.Groups.AskAsync(request.GroupId, create: true,
            reply => new GroupMessage.Join(request, context.ApiVersion, client, reply),
            new JoinGroupResponse { ErrorCode = (short)ErrorCode.CoordinatorNotAvailable, GenerationId = -1, Leader = "", MemberId = request.MemberId });
        // Before v7 the protocol name is not nullable on the wire.
        if (context.ApiVersion < 7) response.ProtocolName ??= "";
        return HandlerResult.Of(response);
    }
}
