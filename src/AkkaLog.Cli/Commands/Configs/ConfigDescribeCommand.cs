using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client.Admin;

namespace AkkaLog.Cli.Commands.Configs;

/// <summary>
/// <c>akkalog config describe --topic NAME | --broker ID [--all]</c>: the configs overridden for the
/// resource (as kafka-configs --describe), or with <c>--all</c> every config including defaults.
/// </summary>
internal sealed class ConfigDescribeCommand : CliCommand
{
    private readonly ResourceOptions _resource = new();

    private readonly Option<bool> _all = new("--all") { Description = "Show every config, inherited and default ones included (default: overrides only)" };

    public ConfigDescribeCommand(CliServices services) : base("describe", "Show the configs of a topic or broker", services)
    {
        _resource.AddTo(this);
        Add(_all);
    }

    /// <summary>One config as printed.</summary>
    internal sealed record ConfigView(string Name, string? Value, string Source, bool ReadOnly, bool Sensitive);

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        var resource = _resource.Resolve(context);
        await using var admin = context.CreateAdmin();
        var result = (await admin.DescribeConfigsAsync([resource], cancellationToken: context.Cancellation)).Single();
        bool all = context.Get(_all);
        var configs = result.Entries.Values
            .Where(e => all || IsOverride(resource, e))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new ConfigView(e.Name, e.IsSensitive ? null : e.Value, SourceName(e.Source), e.IsReadOnly, e.IsSensitive))
            .ToList();

        if (context.Json)
        {
            context.WriteJson(new { resource = new { type = resource.Type.ToString().ToLowerInvariant(), name = resource.Name }, configs });
            return ExitCodes.Ok;
        }
        Tables.Heading(context, $"Configs of {ResourceOptions.Describe(resource)}" + (all ? "" : " (overrides only; --all for every config)"));
        var table = new TextTable("Name", "Value", "Source", "ReadOnly");
        foreach (var c in configs) table.Add(c.Name, c.Sensitive ? "(sensitive)" : c.Value ?? "null", c.Source, c.ReadOnly ? "yes" : "no");
        table.Write(context);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// Whether a config is set for this resource rather than inherited: for a topic only what was set on
    /// the topic (as kafka-configs shows), since every broker-level value also appears in a topic's
    /// list; for a broker anything not at the built-in default (config file or dynamic).
    /// </summary>
    private static bool IsOverride(ConfigResource resource, ConfigEntryResult entry) => resource.Type == ResourceType.Topic
        ? entry.Source == ConfigSource.DynamicTopicConfig
        : entry.Source is not (ConfigSource.DefaultConfig or ConfigSource.Unknown) && !entry.IsDefault;

    /// <summary>Kafka's names for config sources, as kafka-configs prints them.</summary>
    private static string SourceName(ConfigSource source) => source switch
    {
        ConfigSource.DynamicTopicConfig => "DYNAMIC_TOPIC_CONFIG",
        ConfigSource.DynamicBrokerConfig => "DYNAMIC_BROKER_CONFIG",
        ConfigSource.DynamicDefaultBrokerConfig => "DYNAMIC_DEFAULT_BROKER_CONFIG",
        ConfigSource.StaticBrokerConfig => "STATIC_BROKER_CONFIG",
        ConfigSource.DefaultConfig => "DEFAULT_CONFIG",
        ConfigSource.DynamicBrokerLoggerConfig => "DYNAMIC_BROKER_LOGGER_CONFIG",
        _ => "UNKNOWN",
    };
}
