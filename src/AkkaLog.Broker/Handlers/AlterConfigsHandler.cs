using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// AlterConfigs (key 33), the legacy whole-set form: a topic's overrides become exactly the
/// configs given. Broker resources are refused: dynamic broker configuration is not supported yet.
/// </summary>
public sealed class AlterConfigsHandler(BrokerServices broker) : RequestHandler<AlterConfigsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.AlterConfigs;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 2;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, AlterConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new AlterConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new AlterConfigsResponse.AlterConfigsResourceResponse { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName };
            response.Responses.Add(result);
            if ((ConfigResourceType)resource.ResourceType != ConfigResourceType.Topic)
            {
                result.ErrorCode = (short)ErrorCode.InvalidRequest;
                result.ErrorMessage = "Only topic configurations can be altered; dynamic broker configuration is not supported.";
                continue;
            }
            var configs = resource.Configs.Select(c => KeyValuePair.Create(c.Name, c.Value));
            var outcome = await broker.Topics.SetTopicConfigsAsync(resource.ResourceName, configs, request.ValidateOnly, cancellationToken);
            result.ErrorCode = (short)outcome.Error;
            result.ErrorMessage = outcome.Message;
        }
        return HandlerResult.Of(response);
    }
}
