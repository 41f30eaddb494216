using AkkaLog.Protocol;

namespace AkkaLog.Broker.Network;

/// <summary>What a handler knows about the request it serves besides its body.</summary>
public sealed class RequestContext
{
    /// <summary>The API called.</summary>
    public required ApiKey ApiKey { get; init; }
    /// <summary>The version the client used; the response is written at the same version.</summary>
    public required short ApiVersion { get; init; }
    /// <summary>Echoed in the response header.</summary>
    public required int CorrelationId { get; init; }
    /// <summary>The client's self-reported id (may be null).</summary>
    public string? ClientId { get; init; }
    /// <summary>Kestrel's connection id, for logs.</summary>
    public required string ConnectionId { get; init; }
    /// <summary>The client's address, for logs.</summary>
    public string? RemoteEndPoint { get; init; }
}
