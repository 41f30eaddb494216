using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Network;

/// <summary>
/// A handler's answer: the response to send (null when the protocol sends none, as for acks=0
/// produce) and resources (pooled read buffers) to release once the response is written.
/// </summary>
public readonly record struct HandlerResult(IKafkaResponse? Response, IDisposable? Resources = null)
{
    /// <summary>No response (acks=0).</summary>
    public static HandlerResult None => default;

    /// <summary>Wraps a response that holds no pooled resources.</summary>
    public static HandlerResult Of(IKafkaResponse response) => new(response);
}
