using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>
/// FindCoordinator (key 10): a single node coordinates every group. Transaction coordinators
/// (key type 1) and share groups (2) are not available yet and say so.
/// </summary>
public sealed class FindCoordinatorHandler(BrokerServices broker) : RequestHandler<FindCoordinatorRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.FindCoordinator;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 6;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, FindCoordinatorRequest request, CancellationToken cancellationToken)
    {
        var response = new FindCoordinatorResponse();
        var node = broker.Node;
        if (context.ApiVersion < 4)
        {
            var (error, message) = Check(request.KeyType, request.Key);
            response.ErrorCode = (short)error;
            response.ErrorMessage = message;
            response.NodeId = error == ErrorCode.None ? node.NodeId : -1;
            response.Host = error == ErrorCode.None ? node.Host : "";
            response.Port = error == ErrorCode.None ? node.Port : -1;
            return ValueTask.FromResult(HandlerResult.Of(response));
        }
        foreach (string key in request.CoordinatorKeys)
        {
            var (error, message) = Check(request.KeyType, key);
            response.Coordinators.Add(new FindCoordinatorResponse.Coordinator
            {
                Key = key,
                ErrorCode = (short)error,
                ErrorMessage = message,
                NodeId = error == ErrorCode.None ? node.NodeId : -1,
                Host = error == ErrorCode.None ? node.Host : "",
                Port = error == ErrorCode.None ? node.Port : -1,
            });
        }
        return ValueTask.FromResult(HandlerResult.Of(response));
    }

    private static (ErrorCode, string?) Check(sbyte keyType, string key) => keyType switch
    {
        // Any group id, the empty one included: Kafka answers it too, so that commits under "" work.
        0 => (ErrorCode.None, null),
        1 => (ErrorCode.CoordinatorNotAvailable, "Transactions are not supported by this broker yet."),
        _ => (ErrorCode.InvalidRequest, $"Unknown coordinator key type {keyType}."),
    };
}
