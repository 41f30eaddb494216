using AkkaLog.Protocol.Messages;

namespace AkkaLog.Protocol;

/// <summary>
/// Reads and writes request/response headers at the version <see cref="HeaderVersions"/> picks,
/// so callers never choose a header version by hand.
/// </summary>
public static class KafkaHeaders
{
    /// <summary>
    /// Reads a request header (the frame's size prefix already consumed). Peeks the API key and
    /// version first to pick the header version; an unknown key is read as header v1, so the
    /// caller can still answer with its correlation id.
    /// </summary>
    public static RequestHeader ReadRequestHeader(ref KafkaReader reader, out short headerVersion)
    {
        var peek = reader;
        var key = (ApiKey)peek.ReadInt16();
        short apiVersion = peek.ReadInt16();
        headerVersion = HeaderVersions.RequestHeaderVersion(key, apiVersion);
        var header = new RequestHeader();
        header.Read(ref reader, headerVersion);
        return header;
    }

    /// <summary>Writes a request header for <paramref name="key"/> at <paramref name="apiVersion"/>.</summary>
    public static void WriteRequestHeader(KafkaWriter writer, ApiKey key, short apiVersion, int correlationId, string? clientId)
    {
        var header = new RequestHeader
        {
            RequestApiKey = (short)key,
            RequestApiVersion = apiVersion,
            CorrelationId = correlationId,
            ClientId = clientId,
        };
        header.Write(writer, HeaderVersions.RequestHeaderVersion(key, apiVersion));
    }

    /// <summary>Writes the response header that goes with a <paramref name="key"/> request at <paramref name="apiVersion"/>.</summary>
    public static void WriteResponseHeader(KafkaWriter writer, ApiKey key, short apiVersion, int correlationId) =>
        new ResponseHeader { CorrelationId = correlationId }.Write(writer, HeaderVersions.ResponseHeaderVersion(key, apiVersion));

    /// <summary>Reads the response header that goes with a <paramref name="key"/> request at <paramref name="apiVersion"/>.</summary>
    public static ResponseHeader ReadResponseHeader(ref KafkaReader reader, ApiKey key, short apiVersion)
    {
        var header = new ResponseHeader();
        header.Read(ref reader, HeaderVersions.ResponseHeaderVersion(key, apiVersion));
        return header;
    }
}
