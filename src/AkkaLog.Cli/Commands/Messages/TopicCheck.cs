using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;
using AkkaLog.Client.Admin;
using AkkaLog.Protocol;

namespace AkkaLog.Cli.Commands.Messages;

/// <summary>
/// Looks a topic up before producing or consuming. The clients alone would wait quietly (a consumer
/// for a topic that may appear, a producer up to max.block.ms for metadata); a command line should
/// say at once that the topic is missing or the cluster is away, naming which.
/// </summary>
internal static class TopicCheck
{
    /// <summary>The topic's partition indexes; a <see cref="CliFailure"/> naming the topic when it does not exist.</summary>
    public static async Task<IReadOnlyList<int>> PartitionsAsync(CliContext context, string topic)
    {
        await using var admin = context.CreateAdmin();
        try
        {
            var description = (await admin.DescribeTopicsAsync([topic], cancellationToken: context.Cancellation)).Single();
            return description.Partitions.Select(p => p.Partition).Order().ToList();
        }
        catch (KafkaException e) when (e.Code == ErrorCode.UnknownTopicOrPartition)
        {
            throw new CliFailure($"topic '{topic}' does not exist (UNKNOWN_TOPIC_OR_PARTITION)");
        }
    }

    /// <summary>Checks that <paramref name="partition"/> exists in <paramref name="topic"/>.</summary>
    public static void RequirePartition(string topic, IReadOnlyList<int> partitions, int partition)
    {
        if (!partitions.Contains(partition))
            throw new CliFailure($"partition {partition} does not exist in topic '{topic}' ({partitions.Count} partitions) (UNKNOWN_TOPIC_OR_PARTITION)");
    }
}
