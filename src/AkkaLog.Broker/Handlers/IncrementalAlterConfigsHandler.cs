using AkkaLog.Broker.Config;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// IncrementalAlterConfigs (key 44, KIP-339): SET (0), DELETE (1), APPEND (2) and SUBTRACT (3) on
/// a topic's overrides; APPEND/SUBTRACT only for list keys. Broker resources are refused.
/// </summary>
public sealed class IncrementalAlterConfigsHandler(BrokerServices broker) : RequestHandler<IncrementalAlterConfigsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.IncrementalAlterConfigs;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 1;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, IncrementalAlterConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new IncrementalAlterConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new IncrementalAlterConfigsResponse.AlterConfigsResourceResponse { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName };
            response.Responses.Add(result);
            if ((ConfigResourceType)resource.ResourceType != ConfigResourceType.Topic)
            {
                result.ErrorCode = (short)ErrorCode.InvalidRequest;
                result.ErrorMessage = "Only topic configurations can be altered; dynamic broker configuration is not supported.";
                continue;
            }
            // Merged against the configs as stored when written (again after a lost race): a concurrent change survives.
            var outcome = await broker.Topics.ChangeTopicConfigsAsync(resource.ResourceName, current =>
            {
                var merged = new Dictionary<string, string?>(current.Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
                string? problem = Apply(merged, resource.Configs);
                return (problem is null ? merged : null, problem);
            }, request.ValidateOnly, cancellationToken);
            result.ErrorCode = (short)outcome.Error;
            result.ErrorMessage = outcome.Message;
        }
        return HandlerResult.Of(response);
    }

    private string? Apply(Dictionary<string, string?> overrides, List<IncrementalAlterConfigsRequest.AlterableConfig> changes)
    {
        foreach (var change in changes)
        {
            if (!TopicConfigKeys.All.TryGetValue(change.Name, out var pair)) return $"unknown topic configuration '{change.Name}'";
            switch (change.ConfigOperation)
            {
                case 0:
                    overrides[change.Name] = change.Value;
                    break;
                case 1:
                    overrides.Remove(change.Name);
                    break;
                case 2 or 3 when pair.Key.Type == ConfigType.List:
                    var current = (overrides.TryGetValue(change.Name, out var v) ? v : broker.Config.TopicDefault(change.Name)) ?? "";
                    var items = current.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    var delta = (change.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (change.ConfigOperation == 2) items.AddRange(delta.Where(d => !items.Contains(d)));
                    else items.RemoveAll(delta.Contains);
                    overrides[change.Name] = string.Join(',', items);
                    break;
                case 2 or 3:
                    return $"'{change.Name}' is not a list; APPEND and SUBTRACT apply only to lists";
                default:
                    return $"unknown config operation {change.ConfigOperation}";
            }
        }
        return null;
    }
}
