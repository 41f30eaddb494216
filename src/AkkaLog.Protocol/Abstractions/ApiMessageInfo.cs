namespace AkkaLog.Protocol.Messages;

/// <summary>What the message schemas say about one API (see <see cref="ApiMessages"/>).</summary>
/// <param name="Key">The API key.</param>
/// <param name="Name">The API name, e.g. <c>Produce</c>.</param>
/// <param name="RequestType">Generated request class.</param>
/// <param name="ResponseType">Generated response class.</param>
/// <param name="Versions">Valid versions of both request and response.</param>
/// <param name="RequestFlexibleVersions">Request versions using the flexible encoding.</param>
/// <param name="ResponseFlexibleVersions">Response versions using the flexible encoding.</param>
/// <param name="LatestVersionUnstable">True when the highest version is still under development in Kafka.</param>
public sealed record ApiMessageInfo(
    ApiKey Key,
    string Name,
    Type RequestType,
    Type ResponseType,
    VersionRange Versions,
    VersionRange RequestFlexibleVersions,
    VersionRange ResponseFlexibleVersions,
    bool LatestVersionUnstable);
