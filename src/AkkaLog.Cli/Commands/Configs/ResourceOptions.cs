using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client.Admin;

namespace AkkaLog.Cli.Commands.Configs;

/// <summary>
/// Which config owner a config command acts on: exactly one of <c>--topic NAME</c>,
/// <c>--broker ID</c> or <c>--broker-defaults</c> (the cluster-wide broker default, an empty name on the wire).
/// </summary>
internal sealed class ResourceOptions
{
    public Option<string> Topic { get; } = new("--topic", "-t") { Description = "The topic whose configs to use" };

    public Option<int?> Broker { get; } = new("--broker") { Description = "The broker (node id) whose configs to use" };

    public Option<bool> BrokerDefaults { get; } = new("--broker-defaults") { Description = "The default config of all brokers" };

    public void AddTo(Command command)
    {
        command.Add(Topic);
        command.Add(Broker);
        command.Add(BrokerDefaults);
    }

    /// <summary>The chosen resource; a usage error unless exactly one was given.</summary>
    public ConfigResource Resolve(CliContext context)
    {
        var topic = context.Get(Topic);
        var broker = context.Get(Broker);
        bool defaults = context.Get(BrokerDefaults);
        int given = (topic is null ? 0 : 1) + (broker is null ? 0 : 1) + (defaults ? 1 : 0);
        if (given != 1) throw new UsageException("give exactly one of --topic, --broker or --broker-defaults");
        if (topic is not null) return new ConfigResource(ResourceType.Topic, topic);
        if (broker is { } id)
        {
            if (id < 0) throw new UsageException("--broker must be a node id (0 or more)");
            return new ConfigResource(ResourceType.Broker, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return new ConfigResource(ResourceType.Broker, "");
    }

    /// <summary>How the resource is named in messages.</summary>
    public static string Describe(ConfigResource resource) => resource.Type switch
    {
        ResourceType.Topic => $"topic {resource.Name}",
        ResourceType.Broker when resource.Name.Length == 0 => "broker defaults",
        _ => $"broker {resource.Name}",
    };
}
