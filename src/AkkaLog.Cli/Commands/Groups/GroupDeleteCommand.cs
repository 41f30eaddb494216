using System.CommandLine;
using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Groups;

/// <summary><c>akkalog group delete GROUP...</c>: deletes groups that have no active members, with their committed offsets.</summary>
internal sealed class GroupDeleteCommand : CliCommand
{
    private readonly Argument<string[]> _groups = new("group") { Description = "Groups to delete", Arity = ArgumentArity.OneOrMore };

    public GroupDeleteCommand(CliServices services) : base("delete", "Delete empty consumer groups and their committed offsets", services) =>
        Add(_groups);

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        var groups = context.Get(_groups)!.Distinct(StringComparer.Ordinal).ToList();
        await using var admin = context.CreateAdmin();
        await admin.DeleteGroupsAsync(groups, cancellationToken: context.Cancellation);
        if (context.Json) context.WriteJson(new { deleted = groups });
        else foreach (var g in groups) context.Out.WriteLine($"Deleted group {g}.");
        return ExitCodes.Ok;
    }
}
