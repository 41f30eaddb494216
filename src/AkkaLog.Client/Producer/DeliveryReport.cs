namespace AkkaLog.Client;

/// <summary>
/// What a delivery handler passed to <see cref="IProducer{TKey, TValue}.Produce(string, Message{TKey, TValue}, Action{DeliveryReport{TKey, TValue}}?)"/>
/// receives: where the record landed, or why it was not delivered (<see cref="Error"/>).
/// </summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class DeliveryReport<TKey, TValue> : DeliveryResult<TKey, TValue>
{
    /// <summary>The failure; <see cref="Error.IsError"/> is false when the record was delivered.</summary>
    public Error Error { get; init; } = Error.NoError;
}
