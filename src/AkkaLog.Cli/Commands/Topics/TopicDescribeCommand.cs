using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client.Admin;

namespace AkkaLog.Cli.Commands.Topics;

/// <summary>
/// <c>akkalog topic describe [NAME...]</c>: per topic its id, partition count, replication factor and
/// the configs set on it; per partition leader, replicas and in-sync replicas. No names: every topic.
/// </summary>
internal sealed class TopicDescribeCommand : CliCommand
{
    private readonly Argument<string[]> _topics = new("topic") { Description = "Topics to describe (default: all)", Arity = ArgumentArity.ZeroOrMore };

    private readonly Option<bool> _internal = new("--internal") { Description = "With no names: include internal topics" };

    public TopicDescribeCommand(CliServices services) : base("describe", "Show partitions, replicas and configs of topics", services)
    {
        Add(_topics);
        Add(_internal);
    }

    /// <summary>One described topic as printed (and as its JSON).</summary>
    internal sealed record TopicView(string Name, string TopicId, bool Internal, int PartitionCount, int ReplicationFactor,
        IReadOnlyDictionary<string, string?> Configs, IReadOnlyList<PartitionView> Partitions);

    /// <summary>One partition as printed.</summary>
    internal sealed record PartitionView(int Partition, int Leader, IReadOnlyList<int> Replicas, IReadOnlyList<int> Isr);

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        await using var admin = context.CreateAdmin();
        var names = context.Get(_topics) is { Length: > 0 } given
            ? given.Distinct(StringComparer.Ordinal).ToList()
            : (await admin.ListTopicsAsync(context.Get(_internal), cancellationToken: context.Cancellation)).ToList();
        var views = new List<TopicView>();
        if (names.Count > 0)
        {
            var topics = await admin.DescribeTopicsAsync(names, cancellationToken: context.Cancellation);
            var configs = await admin.DescribeConfigsAsync(names.Select(n => new ConfigResource(ResourceType.Topic, n)),
                cancellationToken: context.Cancellation);
            var byTopic = configs.ToDictionary(c => c.Resource.Name, StringComparer.Ordinal);
            foreach (var t in topics.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                var set = byTopic.TryGetValue(t.Name, out var c)
                    ? c.Entries.Values.Where(e => e.Source == ConfigSource.DynamicTopicConfig).OrderBy(e => e.Name, StringComparer.Ordinal)
                        .ToDictionary(e => e.Name, e => e.IsSensitive ? null : e.Value)
                    : new Dictionary<string, string?>();
                views.Add(new TopicView(t.Name, t.TopicId.ToString(), t.IsInternal, t.Partitions.Count,
                    t.Partitions.Count == 0 ? 0 : t.Partitions.Max(p => p.Replicas.Count), set,
                    t.Partitions.Select(p => new PartitionView(p.Partition, p.Leader, p.Replicas, p.InSyncReplicas)).ToList()));
            }
        }

        if (context.Json)
        {
            context.WriteJson(new { topics = views });
            return ExitCodes.Ok;
        }
        foreach (var t in views)
        {
            string configText = t.Configs.Count == 0 ? "" : "  Configs: " + string.Join(',', t.Configs.Select(kv => $"{kv.Key}={kv.Value}"));
            Tables.Heading(context, $"Topic: {t.Name}  TopicId: {t.TopicId}  PartitionCount: {t.PartitionCount}  ReplicationFactor: {t.ReplicationFactor}{configText}");
            var table = new TextTable("Partition", "Leader", "Replicas", "Isr");
            foreach (var p in t.Partitions) table.Add(p.Partition, p.Leader, p.Replicas, p.Isr);
            table.Write(context);
        }
        return ExitCodes.Ok;
    }
}
