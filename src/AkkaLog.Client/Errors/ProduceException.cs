namespace AkkaLog.Client;

/// <summary>A record that could not be delivered; <see cref="DeliveryResult"/> says which one and where it was headed.</summary>
/// <typeparam name="TKey">Key type.</typeparam>
/// <typeparam name="TValue">Value type.</typeparam>
public sealed class ProduceException<TKey, TValue> : KafkaException
{
    /// <summary>Creates the exception for <paramref name="result"/> failing with <paramref name="error"/>.</summary>
    public ProduceException(Error error, DeliveryResult<TKey, TValue> result, Exception? inner = null) : base(error, inner) =>
        DeliveryResult = result;

    /// <summary>The record and its topic/partition (offset is <see cref="Offset.Unset"/>).</summary>
    public DeliveryResult<TKey, TValue> DeliveryResult { get; }
}
