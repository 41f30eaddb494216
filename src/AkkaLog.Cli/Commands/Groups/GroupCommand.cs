using System.CommandLine;
using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Groups;

/// <summary><c>akkalog group</c>: consumer groups, like kafka-consumer-groups.</summary>
internal static class GroupCommand
{
    public static Command Create(CliServices services) => new("group", "List, describe, reset offsets of and delete consumer groups")
    {
        new GroupListCommand(services),
        new GroupDescribeCommand(services),
        new GroupResetOffsetsCommand(services),
        new GroupDeleteCommand(services),
    };
}
