using System.CommandLine;
using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Topics;

/// <summary><c>akkalog topic</c>: the topic subcommands, like kafka-topics.</summary>
internal static class TopicCommand
{
    public static Command Create(CliServices services) => new("topic", "Create, list, describe, alter and delete topics")
    {
        new TopicCreateCommand(services),
        new TopicListCommand(services),
        new TopicDescribeCommand(services),
        new TopicAlterCommand(services),
        new TopicDeleteCommand(services),
    };
}
