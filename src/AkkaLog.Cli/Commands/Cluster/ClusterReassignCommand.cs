using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

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

        var request = new AlterPartitionReassignmentsRequest { TimeoutMs = context.ApiTimeoutMs };
        foreach (var group in moves.Select(m => (m.Topic, m.Partition, Replicas: (List<int>?)m.Replicas))
                     .Concat(cancels.Select(c => (c.Topic, c.Partition, Replicas: (List<int>?)null))).GroupBy(m => m.Topic))
        {
            request.Topics.Add(new AlterPartitionReassignmentsRequest.ReassignableTopic
            {
                Name = group.Key,
                Partitions = group.Select(m => new AlterPartitionReassignmentsRequest.ReassignablePartition { PartitionIndex = m.Partition, Replicas = m.Replicas }).ToList(),
            });
        }
        var response = await AdminRequests.SendAsync<AlterPartitionReassignmentsResponse>(context, request, 0);
        if (response.ErrorCode != 0) throw new IOException($"reassignment refused: {(ErrorCode)response.ErrorCode} {response.ErrorMessage}");
        var results = response.Responses.SelectMany(t => t.Partitions.Select(p => new
        {
            topic = t.Name, partition = p.PartitionIndex, error = p.ErrorCode == 0 ? null : ((ErrorCode)p.ErrorCode).ToString(), message = p.ErrorMessage,
        })).ToList();
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
        var response = await AdminRequests.SendAsync<ListPartitionReassignmentsResponse>(context, new ListPartitionReassignmentsRequest { Topics = null, TimeoutMs = context.ApiTimeoutMs }, 0);
        var moves = response.Topics.SelectMany(t => t.Partitions.Select(p => new
        {
            topic = t.Name, partition = p.PartitionIndex, replicas = p.Replicas, adding = p.AddingReplicas, removing = p.RemovingReplicas,
        })).ToList();
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
