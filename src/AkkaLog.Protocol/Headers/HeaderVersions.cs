using AkkaLog.Protocol.Messages;

namespace AkkaLog.Protocol;

/// <summary>
/// Which <see cref="RequestHeader"/> and <see cref="ResponseHeader"/> version goes with an API
/// version, following Kafka's <c>ApiMessageTypeGenerator</c>:
/// <list type="bullet">
/// <item>request header 2 for flexible request versions, else 1; ControlledShutdown v0 uses 0
/// (it has no client id);</item>
/// <item>response header 1 for flexible response versions, else 0; ApiVersions always uses 0,
/// because a client must parse it before it knows which versions the broker speaks.</item>
/// </list>
/// Peek the API key and version (the first four bytes of any request header) to choose.
/// </summary>
public static class HeaderVersions
{
    /// <summary>The request header version for <paramref name="key"/> at <paramref name="apiVersion"/>.</summary>
    public static short RequestHeaderVersion(ApiKey key, short apiVersion)
    {
        if (key == ApiKey.ControlledShutdown && apiVersion == 0)
        {
            return 0;
        }

        return IsFlexible(key, apiVersion, request: true) ? (short)2 : (short)1;
    }

    /// <summary>The response header version for <paramref name="key"/> at <paramref name="apiVersion"/>.</summary>
    public static short ResponseHeaderVersion(ApiKey key, short apiVersion)
    {
        if (key == ApiKey.ApiVersions)
        {
            return 0;
        }

        return IsFlexible(key, apiVersion, request: false) ? (short)1 : (short)0;
    }

    private static bool IsFlexible(ApiKey key, short apiVersion, bool request) =>
        ApiMessages.TryGetInfo(key, out var info)
        && (request ? info.RequestFlexibleVersions : info.ResponseFlexibleVersions).Contains(apiVersion);
}
