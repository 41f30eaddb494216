using AkkaLog.Broker.Config;
using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// DescribeConfigs (key 32): topic configs (overrides as DYNAMIC_TOPIC_CONFIG, the rest as the
/// broker's value: STATIC_BROKER_CONFIG if set in its configuration, else DEFAULT_CONFIG) and
/// broker configs (read-only: dynamic broker configuration is not supported yet). Synonyms (v1+)
/// and documentation and types (v3+) when asked for.
/// </summary>
public sealed class DescribeConfigsHandler(BrokerServices broker) : RequestHandler<DescribeConfigsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.DescribeConfigs;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 4;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, DescribeConfigsRequest request, CancellationToken cancellationToken)
    {
        var response = new DescribeConfigsResponse();
        foreach (var resource in request.Resources)
        {
            var result = new DescribeConfigsResponse.DescribeConfigsResult { ResourceType = resource.ResourceType, ResourceName = resource.ResourceName };
            response.Results.Add(result);
            var keys = resource.ConfigurationKeys is { } list ? new HashSet<string>(list) : null;
            switch ((ConfigResourceType)resource.ResourceType)
            {
                case ConfigResourceType.Topic:
                    if (!broker.Metadata.Current.TryGetTopic(resource.ResourceName, out var topic))
                    {
                        result.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                        result.ErrorMessage = $"Topic '{resource.ResourceName}' does not exist.";
                        break;
                    }
                    foreach (var (name, (key, brokerKey)) in TopicConfigKeys.All.OrderBy(k => k.Key))
                    {
                        if (keys is not null && !keys.Contains(name)) continue;
                        bool isOverride = topic.Configs.TryGetValue(name, out var value);
                        var source = isOverride ? ConfigSource.DynamicTopicConfig
                            : broker.Config.IsSet(brokerKey.Name) ? ConfigSource.StaticBrokerConfig : ConfigSource.DefaultConfig;
                        var entry = Entry(key, isOverride ? value : broker.Config.TopicDefault(name), source, readOnly: false, request);
                        if (request.IncludeSynonyms)
                        {
                            if (isOverride) entry.Synonyms.Add(Synonym(name, value, ConfigSource.DynamicTopicConfig));
                            if (broker.Config.IsSet(brokerKey.Name))
                                entry.Synonyms.Add(Synonym(brokerKey.Name, broker.Config.Get(brokerKey.Name), ConfigSource.StaticBrokerConfig));
                            entry.Synonyms.Add(Synonym(brokerKey.Name, brokerKey.Default ?? broker.Config.TopicDefault(name), ConfigSource.DefaultConfig));
                        }
                        result.Configs.Add(entry);
                    }
                    break;
                case ConfigResourceType.Broker:
                    if (resource.ResourceName != "" && resource.ResourceName != broker.Node.NodeId.ToString())
                    {
                        result.ErrorCode = (short)ErrorCode.InvalidRequest;
                        result.ErrorMessage = $"Unexpected broker id, expected {broker.Node.NodeId} or empty string, but received {resource.ResourceName}";
                        break;
                    }
                    foreach (var key in BrokerConfigKeys.All.Values.OrderBy(k => k.Name))
                    {
                        if (keys is not null && !keys.Contains(key.Name)) continue;
                        var source = broker.Config.IsSet(key.Name) ? ConfigSource.StaticBrokerConfig : ConfigSource.DefaultConfig;
                        var entry = Entry(key, broker.Config.Get(key.Name), source, readOnly: true, request);
                        if (request.IncludeSynonyms) entry.Synonyms.Add(Synonym(key.Name, broker.Config.Get(key.Name), source));
                        result.Configs.Add(entry);
                    }
                    break;
                default:
                    result.ErrorCode = (short)ErrorCode.InvalidRequest;
                    result.ErrorMessage = $"Unsupported resource type {resource.ResourceType}";
                    break;
            }
        }
        return ValueTask.FromResult(HandlerResult.Of(response));
    }

    private static DescribeConfigsResponse.DescribeConfigsResourceResult Entry(ConfigKey key, string? value, ConfigSource source,
        bool readOnly, DescribeConfigsRequest request) => new()
    {
        Name = key.Name,
        Value = value,
        ReadOnly = readOnly,
        IsDefault = source == ConfigSource.DefaultConfig,
        ConfigSource = (sbyte)source,
        ConfigType = (sbyte)WireType(key.Type),
        Documentation = request.IncludeDocumentation ? key.Doc : null,
    };

    private static DescribeConfigsResponse.DescribeConfigsSynonym Synonym(string name, string? value, ConfigSource source) =>
        new() { Name = name, Value = value, Source = (sbyte)source };

    /// <summary>Kafka's DescribeConfigs ConfigType numbering.</summary>
    private static int WireType(ConfigType type) => type switch
    {
        ConfigType.Boolean => 1,
        ConfigType.String => 2,
        ConfigType.Int => 3,
        ConfigType.Long => 5,
        ConfigType.Double => 6,
        ConfigType.List => 7,
        _ => 0,
    };
}
