using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Network;

/// <summary>
/// What one broker connection may use per API: the highest version both the client
/// (<see cref="ClientApiVersions"/>) and the broker (its ApiVersions response) support. Immutable.
/// </summary>
internal sealed class NegotiatedVersions
{
    private readonly Dictionary<ApiKey, VersionRange> _broker;
    private readonly string _brokerName;

    public NegotiatedVersions(ApiVersionsResponse response, string brokerName)
    {
        _brokerName = brokerName;
        _broker = new Dictionary<ApiKey, VersionRange>(response.ApiKeys.Count);
        foreach (var k in response.ApiKeys) _broker[(ApiKey)k.ApiKey] = new VersionRange(k.MinVersion, k.MaxVersion);
    }

    /// <summary>The broker's own range for <paramref name="key"/>, or <see cref="VersionRange.None"/> when it lacks the API.</summary>
    public VersionRange Broker(ApiKey key) => _broker.TryGetValue(key, out var r) ? r : VersionRange.None;

    /// <summary>True when client and broker share a version of <paramref name="key"/>.</summary>
    public bool Supports(ApiKey key) => !ClientApiVersions.For(key).Intersect(Broker(key)).IsEmpty;

    /// <summary>
    /// The version to send <paramref name="key"/> at: min(client max, broker max), provided it is
    /// within both ranges. Throws <see cref="KafkaException"/> (UNSUPPORTED_VERSION) otherwise.
    /// </summary>
    public short Pick(ApiKey key)
    {
        var client = ClientApiVersions.For(key);
        var broker = Broker(key);
        var both = client.Intersect(broker);
        if (both.IsEmpty)
        {
            string reason = broker.IsEmpty
                ? $"broker {_brokerName} does not support the {key} API (client speaks v{client})"
                : $"broker {_brokerName} supports {key} v{broker} but this client speaks v{client}";
            throw new KafkaException(ErrorCode.UnsupportedVersion, reason);
        }
        return both.Highest;
    }
}
