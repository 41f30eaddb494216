using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Client;
using AkkaLog.Client.Admin;

namespace AkkaLog.Cli.Commands.Cluster;

/// <summary>
/// <c>akkalog cluster reassign TOPIC:PARTITION=B1,B2,... [...]</c> moves partitions to new replica lists
/// (the first broker becomes the preferred leader); <c>--cancel TOPIC:PARTITION</c> stops a move;
/// <c>--list</c> shows moves in progress (AlterPartitionReassignments / ListPartitionReassignments).
/// </summary>
internal sealed class ClusterReassignCommand : CliCommand
{
    private readonly Argument<List<string>> _moves = new("assignment")
    {
        Description = "TOPIC:PARTITION=BROKER,BROKER,... (the first broker is the preferred leader)", Arity = ArgumentArity.ZeroOrMore,
    };
    private readonly Option<List<string>> _cancel = new("--cancel") { Description = "Cancel the move of TOPIC:PARTITION", AllowMultipleArgumentsPerToken = true };
    private readonly Option<bool> _list = new("--list") { Description = "List partition moves in progress" };

    public ClusterReassignCommand(CliServices services) : base("reassign", "Move partitions to other brokers, or list moves in progress", services)
    {
        Add(_moves);
        Add(_cancel);
        Add(_list);
    }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        var moves = (context.Get(_moves) ?? []).Select(ParseMove).ToList();
        var cancels = (context.Get(_cancel) ?? []).Select(c => ParsePartition(c, "--cancel")).ToList();
        if (context.Get(_list))
        {
            if (moves.Count > 0 || cancels.Count > 0) throw new UsageException("--list takes no assignments");
            return await ListAsync(context);
        }
        if (moves.Count == 0 && cancels.Count == 0) throw new UsageException("give at least one TOPIC:PARTITION=BROKER,... assignment, --cancel or --list");

        var wanted = new Dictionary<TopicPartition, IReadOnlyList<int>?>();
        foreach (var m in moves) wanted[new TopicPartition(m.Topic, m.Partition)] = m.Replicas;
        foreach (var c in cancels) wanted[new TopicPartition(c.Topic, c.Partition)] = null;
        await using var admin = context.CreateAdmin();
        var outcomes = await admin.AlterPartitionReassignmentsAsync(wanted, cancellationToken: context.Cancellation);
        var results = outcomes.Select(r => new
        {
            topic = r.TopicPartition.Topic, partition = r.TopicPartition.Partition.Value,
            error = r.Error.IsError ? r.Error.Code.ToString() : null, message = r.Error.IsError ? r.Error.Reason : null,
        }).ToList();
        if (context.Json) context.WriteJson(results);
        else
        {
            var table = new TextTable("Topic", "Partition", "Result");
            foreach (var r in results) table.Add(r.topic, r.partition, r.error is null ? "started" : $"{r.error}: {r.message}");
            table.Write(context);
        }
        return results.Any(r => r.error is not null) ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CliContext context)
    {
        await using var admin = context.CreateAdmin();
        var moves = (await admin.ListPartitionReassignmentsAsync(cancellationToken: context.Cancellation)).Select(m => new
        {
            topic = m.TopicPartition.Topic, partition = m.TopicPartition.Partition.Value,
            replicas = m.Replicas, adding = m.AddingReplicas, removing = m.RemovingReplicas,
        }).ToList();
        if (context.Json)
        {
            context.WriteJson(moves);
            return ExitCodes.Ok;
        }
        if (moves.Count == 0)
        {
            context.Out.WriteLine("No partition moves in progress.");
            return ExitCodes.Ok;
        }
        var table = new TextTable("Topic", "Partition", "Replicas", "Adding", "Removing");
        foreach (var m in moves) table.Add(m.topic, m.partition, string.Join(',', m.replicas), string.Join(',', m.adding), string.Join(',', m.removing));
        table.Write(context);
        return ExitCodes.Ok;
    }

    private static (string Topic, int Partition, List<int> Replicas) ParseMove(string text)
    {
        int eq = text.IndexOf('=');
        if (eq < 0) throw new UsageException($"'{text}' is not TOPIC:PARTITION=BROKER,BROKER,...");
        var (topic, partition) = ParsePartition(text[..eq], "assignment");
        var replicas = new List<int>();
        foreach (var b in text[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(b, out int id) || id < 0) throw new UsageException($"'{b}' in '{text}' is not a broker id");
            replicas.Add(id);
        }
        return (topic, partition, replicas);
    }

    private static (string Topic, int Partition) ParsePartition(string text, string what)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text[(colon + 1)..], out int partition) || partition < 0)
            throw new UsageException($"{what} '{text}' is not TOPIC:PARTITION");
        return (text[..colon], partition);
    }
}
