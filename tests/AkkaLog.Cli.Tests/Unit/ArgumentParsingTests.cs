using System.CommandLine;
using AkkaLog.Cli.Commands.Groups;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Cli.Tests.Unit;

public sealed class ArgumentParsingTests
{
    [Fact]
    public void Key_value_options_split_at_the_first_equals_and_repeat()
    {
        var option = KeyValueOption.Create("--config", "test");
        var command = new RootCommand { option };
        var parse = command.Parse(["--config", "a=b=c", "--config", "x=", "--config", "a=2"]);
        Assert.Empty(parse.Errors);
        var pairs = parse.GetValue(option)!;
        Assert.Equal([new("a", "b=c"), new("x", ""), new("a", "2")], pairs);
        Assert.Equal("2", KeyValueOption.ToDictionary(pairs)["a"]);
        Assert.NotEmpty(command.Parse(["--config", "=v"]).Errors);
    }

    [Fact]
    public void Consumer_group_assignments_are_decoded()
    {
        var assignment = new ConsumerProtocolAssignment
        {
            AssignedPartitions =
            {
                new ConsumerProtocolAssignment.TopicPartition { Topic = "a", Partitions = { 0, 2 } },
                new ConsumerProtocolAssignment.TopicPartition { Topic = "b", Partitions = { 1 } },
            },
        };
        using var writer = new KafkaWriter();
        writer.WriteInt16(1);
        assignment.Write(writer, 1);
        var decoded = AssignmentDecoder.Decode("consumer", writer.WrittenMemory.ToArray());
        Assert.Equal([new TopicPartition("a", 0), new TopicPartition("a", 2), new TopicPartition("b", 1)], decoded);
        Assert.Empty(AssignmentDecoder.Decode("consumer", new byte[] { 0, 1, 0xff }));
        Assert.Empty(AssignmentDecoder.Decode("connect", writer.WrittenMemory.ToArray()));
    }
}
