using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Network;

/// <summary>
/// Serves one Kafka API. Work that must keep the order of a connection's requests (enqueuing
/// appends) happens before the handler's first <c>await</c>; the connection dispatches the next
/// request as soon as this one yields and writes responses in request order.
/// </summary>
public interface IRequestHandler
{
    /// <summary>The API this handler serves.</summary>
    ApiKey ApiKey { get; }

    /// <summary>Lowest version advertised in ApiVersions.</summary>
    short MinVersion { get; }

    /// <summary>Highest version advertised in ApiVersions.</summary>
    short MaxVersion { get; }

    /// <summary>Serves the request.</summary>
    ValueTask<HandlerResult> HandleAsync(RequestContext context, IKafkaRequest request, CancellationToken cancellationToken);
}
