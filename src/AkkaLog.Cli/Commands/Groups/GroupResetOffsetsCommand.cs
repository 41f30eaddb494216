using System.CommandLine;
using System.Globalization;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Commands.Groups;

/// <summary>
/// <c>akkalog group reset-offsets GROUP (--topic T[:P,P...]... | --all-topics) (--to-earliest | --to-latest |
/// --to-offset N | --shift-by N) [--execute]</c>, like kafka-consumer-groups --reset-offsets: shows the
/// plan and changes nothing unless <c>--execute</c> is given. The group must have no active members
/// (a running consumer would overwrite the offsets at its next commit), which is checked first.
/// </summary>
internal sealed class GroupResetOffsetsCommand : CliCommand
{
    private readonly Argument<string> _group = new("group") { Description = "The consumer group" };

    private readonly Option<string[]> _topics = new("--topic", "-t")
    {
        Description = "Topic to reset, optionally with partitions: orders or orders:0,2 (repeatable)",
        HelpName = "topic[:partitions]",
        Arity = ArgumentArity.OneOrMore,
        DefaultValueFactory = _ => [],
    };

    private readonly Option<bool> _allTopics = new("--all-topics") { Description = "Every topic the group has committed offsets for" };
    private readonly Option<bool> _toEarliest = new("--to-earliest") { Description = "Reset to the earliest offset" };
    private readonly Option<bool> _toLatest = new("--to-latest") { Description = "Reset to the log end (skip everything not yet read)" };
    private readonly Option<long?> _toOffset = new("--to-offset") { Description = "Reset to this offset (clamped to the log's range)" };
    private readonly Option<long?> _shiftBy = new("--shift-by") { Description = "Move the committed offset by N (negative: back)" };
    private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Only show the new offsets (the default)" };
    private readonly Option<bool> _execute = new("--execute") { Description = "Commit the new offsets" };

    public GroupResetOffsetsCommand(CliServices services)
        : base("reset-offsets", "Move a group's committed offsets (dry run unless --execute)", services)
    {
        Add(_group);
        foreach (var option in new Option[] { _topics, _allTopics, _toEarliest, _toLatest, _toOffset, _shiftBy, _dryRun, _execute })
            Add(option);
    }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        string group = context.Get(_group)!;
        var (target, value) = Target(context);
        bool execute = context.Get(_execute);
        if (execute && context.Get(_dryRun)) throw new UsageException("give --dry-run or --execute, not both");
        var specs = (context.Get(_topics) ?? []).Select(ParseTopic).ToList();
        bool allTopics = context.Get(_allTopics);
        if ((specs.Count > 0) == allTopics) throw new UsageException("give --topic (one or more) or --all-topics");

        await using var admin = context.CreateAdmin();
        var committed = (await admin.ListConsumerGroupOffsetsAsync(group, cancellationToken: context.Cancellation))
            .Where(c => !c.Offset.IsSpecial).ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
        List<TopicPartition> partitions;
        if (allTopics) partitions = committed.Keys.ToList();
        else
        {
            var described = await admin.DescribeTopicsAsync(specs.Select(s => s.Topic).Distinct(StringComparer.Ordinal),
                cancellationToken: context.Cancellation);
            var counts = described.ToDictionary(d => d.Name, d => d.Partitions.Select(p => p.Partition).ToHashSet(), StringComparer.Ordinal);
            partitions = [];
            foreach (var (topic, only) in specs)
            {
                foreach (int p in only ?? counts[topic].Order().ToArray())
                {
                    if (!counts[topic].Contains(p)) throw new CliFailure($"partition {p} does not exist in topic '{topic}' (UNKNOWN_TOPIC_OR_PARTITION)");
                    partitions.Add(new TopicPartition(topic, p));
                }
            }
        }
        partitions = partitions.Distinct().ToList();
        if (partitions.Count == 0) throw new CliFailure($"group '{group}' has no committed offsets to reset");

        var watermarks = await ConsumerFactory.WatermarksAsync(context, partitions);
        var moves = ResetPlan.Compute(partitions, committed, watermarks, target, value);

        if (execute)
        {
            var description = (await admin.DescribeGroupsAsync([group], cancellationToken: context.Cancellation)).Single();
            if (description.Members.Count > 0)
                throw new CliFailure($"group '{group}' is active (state {description.State}, {description.Members.Count} members): stop its consumers first");
            await admin.AlterConsumerGroupOffsetsAsync(group, moves.Select(m => new TopicPartitionOffset(m.Topic, m.Partition, m.NewOffset)),
                cancellationToken: context.Cancellation);
        }

        if (context.Json)
        {
            context.WriteJson(new { groupId = group, executed = execute, offsets = moves });
            return ExitCodes.Ok;
        }
        Tables.Heading(context, execute ? $"Reset offsets of group {group}:" : $"Dry run for group {group} (nothing changed; add --execute to apply):");
        var table = new TextTable("Topic", "Partition", "Current-Offset", "New-Offset");
        foreach (var m in moves) table.Add(m.Topic, m.Partition, m.CurrentOffset, m.NewOffset);
        table.Write(context);
        return ExitCodes.Ok;
    }

    private (ResetTarget Target, long Value) Target(CliContext context)
    {
        var chosen = new List<(ResetTarget, long)>();
        if (context.Get(_toEarliest)) chosen.Add((ResetTarget.Earliest, 0));
        if (context.Get(_toLatest)) chosen.Add((ResetTarget.Latest, 0));
        if (context.Get(_toOffset) is { } offset)
        {
            if (offset < 0) throw new UsageException("--to-offset must not be negative");
            chosen.Add((ResetTarget.Offset, offset));
        }
        if (context.Get(_shiftBy) is { } shift) chosen.Add((ResetTarget.ShiftBy, shift));
        if (chosen.Count != 1) throw new UsageException("give exactly one of --to-earliest, --to-latest, --to-offset and --shift-by");
        return chosen[0];
    }

    /// <summary>Parses <c>topic</c> or <c>topic:0,2</c>.</summary>
    private static (string Topic, int[]? Partitions) ParseTopic(string spec)
    {
        int colon = spec.LastIndexOf(':');
        if (colon < 0) return (spec, null);
        var parts = spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var partitions = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out partitions[i]))
                throw new UsageException($"--topic {spec}: '{parts[i]}' is not a partition number");
        }
        if (colon == 0 || partitions.Length == 0) throw new UsageException($"--topic {spec}: expected topic or topic:partition,...");
        return (spec[..colon], partitions);
    }
}
