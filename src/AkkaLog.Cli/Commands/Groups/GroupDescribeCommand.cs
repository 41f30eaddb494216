using System.CommandLine;
using AkkaLog.Cli.Infrastructure;
using AkkaLog.Client;

namespace AkkaLog.Cli.Commands.Groups;

/// <summary>
/// <c>akkalog group describe GROUP</c>, like kafka-consumer-groups --describe: per partition the
/// committed offset, the log end offset (high watermark), the lag between them and the member that
/// owns it; then the members with their assignments.
/// </summary>
internal sealed class GroupDescribeCommand : CliCommand
{
    private readonly Argument<string> _group = new("group") { Description = "The consumer group" };

    public GroupDescribeCommand(CliServices services) : base("describe", "Show a group's offsets, lag and members", services) => Add(_group);

    /// <summary>One partition's row.</summary>
    internal sealed record OffsetView(string Topic, int Partition, long? CurrentOffset, long? LogEndOffset, long? Lag,
        string? MemberId, string? Host, string? ClientId);

    /// <summary>One member.</summary>
    internal sealed record MemberView(string MemberId, string? GroupInstanceId, string ClientId, string Host, IReadOnlyList<string> Assignment);

    protected override async Task<int> ExecuteAsync(CliContext context)
    {
        string group = context.Get(_group)!;
        await using var admin = context.CreateAdmin();
        var description = (await admin.DescribeGroupsAsync([group], cancellationToken: context.Cancellation)).Single();
        var committed = await admin.ListConsumerGroupOffsetsAsync(group, cancellationToken: context.Cancellation);
        if (description.State is "Dead" or "" && committed.Count == 0 && description.Members.Count == 0)
            throw new CliFailure($"group '{group}' does not exist (GROUP_ID_NOT_FOUND)");

        var owners = new Dictionary<TopicPartition, Client.Admin.GroupMemberDescription>();
        var members = new List<MemberView>();
        foreach (var m in description.Members)
        {
            var assigned = AssignmentDecoder.Decode(description.ProtocolType, m.Assignment);
            foreach (var tp in assigned) owners[tp] = m;
            members.Add(new MemberView(m.MemberId, m.GroupInstanceId, m.ClientId, m.Host,
                assigned.OrderBy(t => t.Topic, StringComparer.Ordinal).ThenBy(t => t.Partition.Value).Select(t => $"{t.Topic}-{t.Partition.Value}").ToList()));
        }

        var current = committed.Where(c => !c.Offset.IsSpecial).ToDictionary(c => c.TopicPartition, c => c.Offset.Value);
        var partitions = current.Keys.Union(owners.Keys).OrderBy(t => t.Topic, StringComparer.Ordinal).ThenBy(t => t.Partition.Value).ToList();
        var ends = await ConsumerFactory.WatermarksAsync(context, partitions);
        var offsets = partitions.Select(tp =>
        {
            long? committedOffset = current.TryGetValue(tp, out long c) ? c : null;
            long? end = ends.TryGetValue(tp, out var w) ? w.High.Value : null;
            owners.TryGetValue(tp, out var owner);
            return new OffsetView(tp.Topic, tp.Partition.Value, committedOffset, end,
                committedOffset is { } co && end is { } e ? Math.Max(0, e - co) : null, owner?.MemberId, owner?.Host, owner?.ClientId);
        }).ToList();
        long totalLag = offsets.Sum(o => o.Lag ?? 0);

        if (context.Json)
        {
            context.WriteJson(new
            {
                groupId = group, state = description.State, protocolType = description.ProtocolType, protocol = description.Protocol,
                totalLag, offsets, members,
            });
            return ExitCodes.Ok;
        }
        Tables.Heading(context, $"Group: {group}  State: {description.State}  Protocol: {Dash(description.Protocol)}  Members: {members.Count}  Total lag: {totalLag}");
        var table = new TextTable("Topic", "Partition", "Current-Offset", "Log-End-Offset", "Lag", "Consumer-Id", "Host", "Client-Id");
        foreach (var o in offsets) table.Add(o.Topic, o.Partition, o.CurrentOffset, o.LogEndOffset, o.Lag, o.MemberId, o.Host, o.ClientId);
        table.Write(context);
        if (members.Count > 0)
        {
            Tables.Heading(context, "Members:");
            var memberTable = new TextTable("Consumer-Id", "Instance-Id", "Client-Id", "Host", "Partitions");
            foreach (var m in members) memberTable.Add(m.MemberId, m.GroupInstanceId, m.ClientId, m.Host, Dash(string.Join(',', m.Assignment)));
            memberTable.Write(context);
        }
        return ExitCodes.Ok;
    }

    private static string Dash(string s) => s.Length == 0 ? "-" : s;
}
