using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Cluster;

/// <summary>
/// <c>akkalog cluster describe</c>: cluster id, controller, brokers (with how many partitions each
/// leads), and the partitions that are under-replicated (ISR smaller than the replica list) or
/// offline (no leader).
/// </summary>
internal sealed class ClusterDescribeCommand : CliCommand
{
    public ClusterDescribeCommand(CliServices services) : base("describe", "Show the cluster id, controller and brokers", services) { }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        await using var admin = context.CreateAdmin();
        var cluster = await admin.DescribeClusterAsync(cancellationToken: context.Cancellation);
        var topics = await admin.ListTopicsAsync(includeInternal: true, cancellationToken: context.Cancellation);
        var described = topics.Count == 0 ? [] : await admin.DescribeTopicsAsync(topics, cancellationToken: context.Cancellation);
        var partitions = described.Where(t => !t.Error.IsError).SelectMany(t => t.Partitions.Select(p => (Topic: t.Name, Info: p))).ToList();
        var leads = partitions.Where(p => p.Info.Leader >= 0).GroupBy(p => p.Info.Leader).ToDictionary(g => g.Key, g => g.Count());
        var brokers = cluster.Brokers.OrderBy(b => b.Id)
            .Select(b => new { id = b.Id, host = b.Host, port = b.Port, rack = b.Rack, controller = b.Id == cluster.ControllerId, leaders = leads.GetValueOrDefault(b.Id) })
            .ToList();
        var underReplicated = partitions.Where(p => p.Info.Leader >= 0 && p.Info.InSyncReplicas.Count < p.Info.Replicas.Count)
            .Select(p => new { topic = p.Topic, partition = p.Info.Partition, leader = p.Info.Leader, replicas = p.Info.Replicas, isr = p.Info.InSyncReplicas })
            .OrderBy(p => p.topic, StringComparer.Ordinal).ThenBy(p => p.partition).ToList();
        var offline = partitions.Where(p => p.Info.Leader < 0)
            .Select(p => new { topic = p.Topic, partition = p.Info.Partition, replicas = p.Info.Replicas, isr = p.Info.InSyncReplicas })
            .OrderBy(p => p.topic, StringComparer.Ordinal).ThenBy(p => p.partition).ToList();
        if (context.Json)
        {
            context.WriteJson(new { clusterId = cluster.ClusterId, controllerId = cluster.ControllerId, brokers, partitions = partitions.Count, underReplicated, offline });
            return ExitCodes.Ok;
        }
        Tables.Heading(context, $"Cluster: {cluster.ClusterId ?? "(unknown)"}  Controller: {cluster.ControllerId}  Brokers: {brokers.Count}  Partitions: {partitions.Count}");
        var table = new TextTable("Id", "Host", "Port", "Rack", "Controller", "Leader of");
        foreach (var b in brokers) table.Add(b.id, b.host, b.port, b.rack, b.controller ? "yes" : "", b.leaders);
        table.Write(context);
        context.Out.WriteLine();
        if (underReplicated.Count == 0) context.Out.WriteLine("Under-replicated partitions: none");
        else
        {
            context.Out.WriteLine($"Under-replicated partitions: {underReplicated.Count}");
            var t = new TextTable("Topic", "Partition", "Leader", "Replicas", "ISR");
            foreach (var p in underReplicated) t.Add(p.topic, p.partition, p.leader, string.Join(',', p.replicas), string.Join(',', p.isr));
            t.Write(context);
        }
        if (offline.Count == 0) context.Out.WriteLine("Offline partitions: none");
        else
        {
            context.Out.WriteLine($"Offline partitions: {offline.Count}");
            var t = new TextTable("Topic", "Partition", "Replicas", "Last ISR");
            foreach (var p in offline) t.Add(p.topic, p.partition, string.Join(',', p.replicas), string.Join(',', p.isr));
            t.Write(context);
        }
        return ExitCodes.Ok;
    }
}
