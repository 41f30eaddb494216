namespace AkkaLog.Broker.Network;

/// <summary>
/// A dispatched request whose response is still to be written: either a handler's result, or
/// pre-encoded bytes (the ApiVersions unsupported-version answer, built before any handler runs).
/// </summary>
internal readonly record struct PendingResponse(
    RequestContext Context,
    ValueTask<HandlerResult> Result,
    RequestFrame Frame,
    byte[]? PreEncodedBody = null);
