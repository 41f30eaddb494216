using System.CommandLine;
using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Cluster;

/// <summary><c>akkalog cluster</c>.</summary>
internal static class ClusterCommand
{
    public static Command Create(CliServices services) => new("cluster", "Show and manage the cluster")
    {
        new ClusterDescribeCommand(services),
        new ClusterReassignCommand(services),
        new ClusterElectLeadersCommand(services),
    };
}
