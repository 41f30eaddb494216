using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client.Admin;
using AkkaLog.Protocol;

namespace AkkaLog.Cli.Commands.Topics;

/// <summary><c>akkalog topic create NAME [--partitions N] [--replication-factor N] [--config k=v]...</c></summary>
internal sealed class TopicCreateCommand : CliCommand
{
    private readonly Argument<string> _topic = new("topic") { Description = "Name of the topic to create" };

    private readonly Option<int> _partitions = new("--partitions", "-p")
    {
        Description = "Number of partitions (default: the broker's num.partitions)",
        DefaultValueFactory = _ => -1,
    };

    private readonly Option<short> _replicationFactor = new("--replication-factor", "-r")
    {
        Description = "Replicas per partition (default: the broker's default.replication.factor)",
        DefaultValueFactory = _ => -1,
    };

    private readonly Option<List<KeyValuePair<string, string>>> _configs =
        KeyValueOption.Create("--config", "Topic config, e.g. retention.ms=86400000", "-c");

    private readonly Option<bool> _ifNotExists = new("--if-not-exists") { Description = "Succeed if the topic already exists" };

    public TopicCreateCommand(CliServices services) : base("create", "Create a topic", services)
    {
        Add(_topic);
        Add(_partitions);
        Add(_replicationFactor);
        Add(_configs);
        Add(_ifNotExists);
    }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        string topic = context.Get(_topic)!;
        int partitions = context.Get(_partitions);
        short replicationFactor = context.Get(_replicationFactor);
        if (partitions == 0 || partitions < -1) throw new UsageException("--partitions must be at least 1");
        if (replicationFactor == 0 || replicationFactor < -1) throw new UsageException("--replication-factor must be at least 1");
        var configs = KeyValueOption.ToDictionary(context.Get(_configs));

        await using var admin = context.CreateAdmin();
        bool created = true;
        try
        {
            await admin.CreateTopicsAsync([new TopicSpecification
            {
                Name = topic, NumPartitions = partitions, ReplicationFactor = replicationFactor, Configs = configs.Count > 0 ? configs : null,
            }], cancellationToken: context.Cancellation);
        }
        catch (KafkaAdminException e) when (context.Get(_ifNotExists) && e.Code == ErrorCode.TopicAlreadyExists)
        {
            created = false;
        }

        if (context.Json) context.WriteJson(new { topic, created });
        else context.Out.WriteLine(created ? $"Created topic {topic}." : $"Topic {topic} already exists.");
        return ExitCodes.Ok;
    }
}
