using System.Text.Json;
using AkkaLog.Broker;
using AkkaLog.Broker.Groups;
using Microsoft.AspNetCore.Http;

namespace AkkaLog.Server;

/// <summary>
/// The read-only HTTP admin API served on <c>admin.http.listener</c>: consumer groups and their
/// lag as JSON, for dashboards and scripts that do not speak the Kafka protocol.
/// <c>GET /v1/groups</c> lists groups with state and protocol type;
/// <c>GET /v1/groups/{group}/lag</c> gives committed offset, log end offset and lag per partition.
/// </summary>
internal static class AdminApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task HandleAsync(HttpContext context, KafkaBroker broker)
    {
        var path = context.Request.Path.Value ?? "";
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await WriteAsync(context, StatusCodes.Status405MethodNotAllowed, new { error = "only GET is supported" });
            return;
        }
        var segments = path.Trim('/').Split('/');
        var groups = broker.Services.Groups;
        switch (segments)
        {
            case ["v1", "groups"]:
                var list = groups.ListGroups().OrderBy(g => g.GroupId, StringComparer.Ordinal)
                    .Select(g => new { group = g.GroupId, state = g.State.ToString(), protocolType = g.ProtocolType });
                await WriteAsync(context, StatusCodes.Status200OK, list);
                return;
            case ["v1", "groups", var encoded, "lag"]:
                string groupId = Uri.UnescapeDataString(encoded);
                if (groups.Availability(groupId) is var error && error != AkkaLog.Protocol.ErrorCode.None)
                {
                    await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, new { error = error.ToString() });
                    return;
                }
                var lag = await GroupLag.DescribeAsync(groups, broker.Services.Replicas, groupId);
                if (lag is null)
                {
                    await WriteAsync(context, StatusCodes.Status404NotFound, new { error = $"group '{groupId}' does not exist" });
                    return;
                }
                await WriteAsync(context, StatusCodes.Status200OK, new
                {
                    group = groupId,
                    totalLag = lag.Sum(l => l.Lag),
                    partitions = lag.Select(l => new { topic = l.Topic, partition = l.Partition, committedOffset = l.CommittedOffset, logEndOffset = l.LogEndOffset, lag = l.Lag }),
                });
                return;
            default:
                await WriteAsync(context, StatusCodes.Status404NotFound, new { error = $"no such resource: {path}" });
                return;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Json);
    }
}
