using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers.Groups;

/// <summary>ListGroups (key 16): every group with its protocol type, state (v4+, filterable) and type (v5+: all are classic).</summary>
public sealed class ListGroupsHandler(BrokerServices broker) : RequestHandler<ListGroupsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.ListGroups;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 5;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, ListGroupsRequest request, CancellationToken cancellationToken)
    {
        var response = new ListGroupsResponse();
        var states = context.ApiVersion >= 4 ? request.StatesFilter : [];
        var types = context.ApiVersion >= 5 ? request.TypesFilter : [];
        foreach (var g in broker.Groups.ListGroups().OrderBy(g => g.GroupId, StringComparer.Ordinal))
        {
            string state = g.State.ToString();
            if (states.Count > 0 && !states.Contains(state, StringComparer.OrdinalIgnoreCase)) continue;
            if (types.Count > 0 && !types.Contains("classic", StringComparer.OrdinalIgnoreCase)) continue;
            response.Groups.Add(new ListGroupsResponse.ListedGroup { GroupId = g.GroupId, ProtocolType = g.ProtocolType, GroupState = state, GroupType = "classic" });
        }
        return ValueTask.FromResult(HandlerResult.Of(response));
    }
}
