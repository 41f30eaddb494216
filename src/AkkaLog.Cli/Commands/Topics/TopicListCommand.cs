using System.CommandLine;
using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Topics;

/// <summary><c>akkalog topic list</c>: topic names, one per line, sorted (as kafka-topics --list).</summary>
internal sealed class TopicListCommand : CliCommand
{
    private readonly Option<bool> _internal = new("--internal") { Description = "Include internal topics such as __consumer_offsets" };

    public TopicListCommand(CliServices services) : base("list", "List topic names", services) => Add(_internal);

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        await using var admin = context.CreateAdmin();
        var topics = (await admin.ListTopicsAsync(context.Get(_internal), cancellationToken: context.Cancellation))
            .Order(StringComparer.Ordinal).ToList();
        if (context.Json) context.WriteJson(new { topics });
        else foreach (var t in topics) context.Out.WriteLine(t);
        return ExitCodes.Ok;
    }
}
