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
        // Checked before the group is looked up, as Kafka does, so a refused join never creates
        // (and lists) an empty group. The group actor checks again for joins that reach it.
        var config = broker.Groups.Config;
        if (error == ErrorCode.None && (request.SessionTimeoutMs < config.MinSessionTimeoutMs || request.SessionTimeoutMs > config.MaxSessionTimeoutMs))
            error = ErrorCode.InvalidSessionTimeout;
        var response = error != ErrorCode.None
            ? new JoinGroupResponse { ErrorCode = (short)error, GenerationId = -1, Leader = "", MemberId = request.MemberId, ProtocolName = null }
            : await broker.Groups.AskAsync(request.GroupId, create: true,
                reply => new GroupMessage.Join(request, context.ApiVersion, GroupRequests.ClientOf(context), reply),
                new JoinGroupResponse { ErrorCode = (short)ErrorCode.CoordinatorNotAvailable, GenerationId = -1, Leader = "", MemberId = request.MemberId });
        // Before v7 the protocol name is not nullable on the wire; the early errors above once
        // went out null and the encoder closed the connection instead of answering.
        if (context.ApiVersion < 7) response.ProtocolName ??= "";
        return HandlerResult.Of(response);
    }
}
