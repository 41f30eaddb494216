using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>DescribeCluster (key 60, KIP-700): cluster id, controller and live brokers.</summary>
public sealed class DescribeClusterHandler(BrokerServices broker) : RequestHandler<DescribeClusterRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.DescribeCluster;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 1;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, DescribeClusterRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeClusterResponse
        {
            ClusterId = broker.Metadata.Current.ClusterId,
            ControllerId = broker.Metadata.Current.ControllerId,
            EndpointType = request.EndpointType,
        };
        if (request.EndpointType != 1)
        {
            response.ErrorCode = (short)ErrorCode.UnsupportedEndpointType;
            response.ErrorMessage = "Only broker endpoints are served.";
            return ValueTask.FromResult(HandlerResult.Of(response));
        }
        foreach (var node in broker.Brokers)
            response.Brokers.Add(new DescribeClusterResponse.DescribeClusterBroker { BrokerId = node.NodeId, Host = node.Host, Port = node.Port, Rack = node.Rack });
        return ValueTask.FromResult(HandlerResult.Of(response));
    }
}
