using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client.Admin;

namespace AkkaLog.Cli.Commands.Topics;

/// <summary>
/// <c>akkalog topic alter NAME [--partitions N] [--config k=v]... [--delete-config k]...</c>: raises the
/// partition count and/or sets and removes topic configs (incrementally: other configs stay).
/// </summary>
internal sealed class TopicAlterCommand : CliCommand
{
    private readonly Argument<string> _topic = new("topic") { Description = "Topic to alter" };

    private readonly Option<int?> _partitions = new("--partitions", "-p") { Description = "New total partition count (can only grow)" };

    private readonly Option<List<KeyValuePair<string, string>>> _configs =
        KeyValueOption.Create("--config", "Topic config to set, e.g. retention.ms=3600000", "-c");

    private readonly Option<string[]> _deleteConfigs = new("--delete-config")
    {
        Description = "Topic config to remove, going back to the broker default (repeatable)",
        HelpName = "key",
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => [],
    };

    public TopicAlterCommand(CliServices services) : base("alter", "Add partitions to a topic and/or change its configs", services)
    {
        Add(_topic);
        Add(_partitions);
        Add(_configs);
        Add(_deleteConfigs);
    }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        string topic = context.Get(_topic)!;
        int? partitions = context.Get(_partitions);
        var set = KeyValueOption.ToDictionary(context.Get(_configs));
        var delete = context.Get(_deleteConfigs) ?? [];
        if (partitions is null && set.Count == 0 && delete.Length == 0)
            throw new UsageException("nothing to alter: give --partitions, --config or --delete-config");
        if (partitions is < 1) throw new UsageException("--partitions must be at least 1");

        await using var admin = context.CreateAdmin();
        // Configs first: if they are rejected the partition count is left as it was.
        if (set.Count > 0 || delete.Length > 0)
        {
            var changes = set.Select(kv => new ConfigEntry(kv.Key, kv.Value))
                .Concat(delete.Select(k => new ConfigEntry(k, null, AlterConfigOpType.Delete))).ToList();
            await admin.IncrementalAlterConfigsAsync(
                new Dictionary<ConfigResource, IReadOnlyList<ConfigEntry>> { [new ConfigResource(ResourceType.Topic, topic)] = changes },
                cancellationToken: context.Cancellation);
        }
        if (partitions is { } count)
            await admin.CreatePartitionsAsync([new PartitionsSpecification(topic, count)], cancellationToken: context.Cancellation);

        if (context.Json) context.WriteJson(new { topic, partitions, setConfigs = set, deletedConfigs = delete });
        else
        {
            if (partitions is not null) context.Out.WriteLine($"Topic {topic} now has {partitions} partitions.");
            foreach (var (k, v) in set) context.Out.WriteLine($"Set {k}={v} on topic {topic}.");
            foreach (var k in delete) context.Out.WriteLine($"Removed {k} from topic {topic}.");
        }
        return ExitCodes.Ok;
    }
}
