using System.CommandLine;
using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Configs;

/// <summary><c>akkalog config</c>: topic and broker configs, like kafka-configs.</summary>
internal static class ConfigCommand
{
    public static Command Create(CliServices services) => new("config", "Describe and alter topic and broker configs")
    {
        new ConfigDescribeCommand(services),
        new ConfigAlterCommand(services),
    };
}
