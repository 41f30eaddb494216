using AkkaLog.Cli.Infrastructure;

namespace AkkaLog.Cli.Commands.Groups;

/// <summary><c>akkalog group list</c>: every group of every broker with its state.</summary>
internal sealed class GroupListCommand : CliCommand
{
    public GroupListCommand(CliServices services) : base("list", "List consumer groups and their state", services) { }

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        await using var admin = context.CreateAdmin();
        var groups = (await admin.ListGroupsAsync(cancellationToken: context.Cancellation))
            .OrderBy(g => g.GroupId, StringComparer.Ordinal)
            .Select(g => new { groupId = g.GroupId, state = g.State, protocolType = g.ProtocolType, type = g.Type })
            .ToList();
        if (context.Json)
        {
            context.WriteJson(new { groups });
            return ExitCodes.Ok;
        }
        var table = new TextTable("Group", "State", "ProtocolType", "Type");
        foreach (var g in groups) table.Add(g.groupId, g.state, g.protocolType, g.type);
        table.Write(context);
        return ExitCodes.Ok;
    }
}
