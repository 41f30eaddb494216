using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Network;

internal sealed partial class BrokerConnection
{
    /// <summary>Reported to brokers in ApiVersions v3+ (KIP-511), visible in their client metrics.</summary>
    private const string SoftwareName = "akkalog-dotnet";

    private static readonly string SoftwareVersion =
        typeof(BrokerConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>
    /// ApiVersions handshake. We offer our highest ApiVersions version; a broker that does not know it
    /// answers UNSUPPORTED_VERSION in the v0 layout (KIP-511) listing the ApiVersions versions it does
    /// know, and we ask again at min(ours, its max).
    /// </summary>
    private async Task<NegotiatedVersions> NegotiateVersionsAsync(CancellationToken cancellationToken)
    {
        short version = ClientApiVersions.ApiVersionsMax;
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var request = new ApiVersionsRequest { ClientSoftwareName = SoftwareName, ClientSoftwareVersion = SoftwareVersion };
            var frame = await SendFrameAsync(request, version, expectResponse: true, cancellationToken).ConfigureAwait(false);
            var reader = new KafkaReader(frame.Memory);
            KafkaHeaders.ReadResponseHeader(ref reader, ApiKey.ApiVersions, version);
            // The error code leads every version, so it can be read before choosing how to parse the rest.
            var peek = reader;
            var error = (ErrorCode)peek.ReadInt16();
            if (error == ErrorCode.UnsupportedVersion && version > 0)
            {
                var v0 = new ApiVersionsResponse();
                v0.Read(ref reader, 0);
                var mine = v0.ApiKeys.FirstOrDefault(k => k.ApiKey == (short)ApiKey.ApiVersions);
                version = mine is null ? (short)0 : Math.Min(version, mine.MaxVersion);
                continue;
            }
            var response = new ApiVersionsResponse();
            response.Read(ref reader, version);
            if (response.ErrorCode != 0)
                throw new KafkaException(Error.FromWire(response.ErrorCode, $"ApiVersions to {this} failed"));
            return new NegotiatedVersions(response, ToString());
        }
        throw new KafkaException(ErrorCode.UnsupportedVersion, $"{this} refused every ApiVersions version this client offered");
    }

    /// <summary>Parses a response frame (size prefix already stripped) for <paramref name="key"/> at <paramref name="version"/>.</summary>
    internal static TResponse Parse<TResponse>(ReadOnlyMemory<byte> frame, ApiKey key, short version) where TResponse : IKafkaResponse, new()
    {
        try
        {
            var reader = new KafkaReader(frame);
            KafkaHeaders.ReadResponseHeader(ref reader, key, version);
            var response = new TResponse();
            response.Read(ref reader, version);
            // Trailing bytes are tolerated: a newer broker may add fields we do not know about.
            return response;
        }
        catch (KafkaProtocolException e)
        {
            throw new KafkaException(ErrorCode.UnknownServerError, $"could not parse the {key} v{version} response: {e.Message}", e);
        }
    }
}
