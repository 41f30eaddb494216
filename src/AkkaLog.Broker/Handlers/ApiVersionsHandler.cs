using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// ApiVersions (key 18): lists each API we serve with its version range. v3+ requests carry the
/// client's software name (KIP-511). An unsupported ApiVersions version never reaches here: the
/// dispatcher answers it in v0 layout so the client can retry (see PROTOCOL notes on librdkafka).
/// </summary>
public sealed class ApiVersionsHandler(Func<IEnumerable<IRequestHandler>> handlers) : RequestHandler<ApiVersionsRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.ApiVersions;
    /// <inheritdoc />
    public override short MinVersion => 0;
    /// <inheritdoc />
    public override short MaxVersion => 4;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, ApiVersionsRequest request, CancellationToken cancellationToken)
    {
        var response = new ApiVersionsResponse { ErrorCode = 0, ThrottleTimeMs = 0 };
        foreach (var h in handlers())
            response.ApiKeys.Add(new ApiVersionsResponse.ApiVersion { ApiKey = (short)h.ApiKey, MinVersion = h.MinVersion, MaxVersion = h.MaxVersion });
        return ValueTask.FromResult(HandlerResult.Of(response));
    }
}
