using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client.Admin;
using AkkaLog.Protocol;

namespace AkkaLog.Cli.Commands.Topics;

/// <summary><c>akkalog topic delete NAME...</c></summary>
internal sealed class TopicDeleteCommand : CliCommand
{
    private readonly Argument<string[]> _topics = new("topic") { Description = "Topics to delete", Arity = ArgumentArity.OneOrMore };

    private readonly Option<bool> _ifExists = new("--if-exists") { Description = "Succeed for topics that do not exist" };

    public TopicDeleteCommand(CliServices services) : base("delete", "Delete topics and all their records", services)
    {
        Add(_topics);
        Add(_ifExists);
    }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        var topics = context.Get(_topics)!.Distinct(StringComparer.Ordinal).ToList();
        await using var admin = context.CreateAdmin();
        var missing = new List<string>();
        try
        {
            await admin.DeleteTopicsAsync(topics, cancellationToken: context.Cancellation);
        }
        catch (KafkaAdminException e) when (context.Get(_ifExists)
            && e.Results.All(r => r.Error.Code is ErrorCode.None or ErrorCode.UnknownTopicOrPartition or ErrorCode.UnknownTopicId))
        {
            missing.AddRange(e.Results.Where(r => r.Error.IsError).Select(r => r.Item));
        }

        var deleted = topics.Except(missing).ToList();
        if (context.Json) context.WriteJson(new { deleted, missing });
        else
        {
            foreach (var t in deleted) context.Out.WriteLine($"Deleted topic {t}.");
            foreach (var t in missing) context.Out.WriteLine($"Topic {t} does not exist.");
        }
        return ExitCodes.Ok;
    }
}
