using AkkaLog.Broker.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>Typed base for handlers: casts the decoded request and fixes the advertised range.</summary>
public abstract class RequestHandler<TRequest> : IRequestHandler where TRequest : IKafkaRequest
{
    /// <inheritdoc />
    public abstract ApiKey ApiKey { get; }
    /// <inheritdoc />
    public abstract short MinVersion { get; }
    /// <inheritdoc />
    public abstract short MaxVersion { get; }

    /// <inheritdoc />
    public ValueTask<HandlerResult> HandleAsync(RequestContext context, IKafkaRequest request, CancellationToken cancellationToken) =>
        HandleAsync(context, (TRequest)request, cancellationToken);

    /// <summary>Serves a request of this API.</summary>
    protected abstract ValueTask<HandlerResult> HandleAsync(RequestContext context, TRequest request, CancellationToken cancellationToken);
}
