using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Client;
using AkkaLog.Client.Admin;

namespace AkkaLog.Cli.Commands.Cluster;

/// <summary>
/// <c>akkalog cluster elect-leaders [--topic T [--partition P]] [--unclean]</c>: preferred leader election
/// (leadership back to each partition's first replica), or unclean election for partitions without
/// a live in-sync replica (ElectLeaders).
/// </summary>
internal sealed class ClusterElectLeadersCommand : CliCommand
{
    private readonly Option<string?> _topic = new("--topic", "-t") { Description = "Only this topic (default: every partition)" };
    private readonly Option<int?> _partition = new("--partition", "-p") { Description = "Only this partition of --topic" };
    private readonly Option<bool> _unclean = new("--unclean") { Description = "Let an out-of-sync replica lead partitions with no live in-sync replica (loses data)" };

    public ClusterElectLeadersCommand(CliServices services) : base("elect-leaders", "Move leadership to preferred replicas (or elect unclean leaders)", services)
    {
        Add(_topic);
        Add(_partition);
        Add(_unclean);
    }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        string? topic = context.Get(_topic);
        int? partition = context.Get(_partition);
        if (partition is not null && topic is null) throw new UsageException("--partition needs --topic");
        if (partition < 0) throw new UsageException("--partition must be 0 or more");
        await using var admin = context.CreateAdmin();
        List<TopicPartition>? partitions = null;
        if (topic is not null)
        {
            if (partition is int p) partitions = [new TopicPartition(topic, p)];
            else
            {
                var described = (await admin.DescribeTopicsAsync([topic], cancellationToken: context.Cancellation)).Single();
                if (described.Error.IsError) throw new KafkaException(described.Error);
                partitions = described.Partitions.Select(x => new TopicPartition(topic, x.Partition)).ToList();
            }
        }
        var type = context.Get(_unclean) ? ElectionType.Unclean : ElectionType.Preferred;
        var outcomes = await admin.ElectLeadersAsync(type, partitions, cancellationToken: context.Cancellation);
        var results = outcomes.Select(r => new
        {
            topic = r.TopicPartition.Topic, partition = r.TopicPartition.Partition.Value,
            result = r.Error.IsError ? r.Error.Code.ToString() : "elected", message = r.Error.IsError ? r.Error.Reason : null,
        }).ToList();
        if (context.Json) context.WriteJson(results);
        else
        {
            var table = new TextTable("Topic", "Partition", "Result");
            foreach (var r in results.Where(r => topic is not null || r.result != nameof(ErrorCode.ElectionNotNeeded)))
                table.Add(r.topic, r.partition, r.result);
            table.Write(context);
            context.Out.WriteLine($"{results.Count(r => r.result == "elected")} leaders moved, {results.Count(r => r.result == nameof(ErrorCode.ElectionNotNeeded))} already preferred.");
        }
        // Nothing to do is not a failure; a leader that could not be elected is.
        return results.Any(r => r.result is not ("elected" or nameof(ErrorCode.ElectionNotNeeded))) ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
