using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Cluster;

/// <summary><c>akkalog cluster describe</c>: cluster id, controller and brokers.</summary>
internal sealed class ClusterDescribeCommand : CliCommand
{
    public ClusterDescribeCommand(CliServices services) : base("describe", "Show the cluster id, controller and brokers", services) { }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        await using var admin = context.CreateAdmin();
        var cluster = await admin.DescribeClusterAsync(cancellationToken: context.Cancellation);
        var brokers = cluster.Brokers.OrderBy(b => b.Id)
            .Select(b => new { id = b.Id, host = b.Host, port = b.Port, rack = b.Rack, controller = b.Id == cluster.ControllerId }).ToList();
        if (context.Json)
        {
            context.WriteJson(new { clusterId = cluster.ClusterId, controllerId = cluster.ControllerId, brokers });
            return ExitCodes.Ok;
        }
        Tables.Heading(context, $"Cluster: {cluster.ClusterId ?? "(unknown)"}  Controller: {cluster.ControllerId}  Brokers: {brokers.Count}");
        var table = new TextTable("Id", "Host", "Port", "Rack", "Controller");
        foreach (var b in brokers) table.Add(b.id, b.host, b.port, b.rack, b.controller ? "yes" : "");
        table.Write(context);
        return ExitCodes.Ok;
    }
}
