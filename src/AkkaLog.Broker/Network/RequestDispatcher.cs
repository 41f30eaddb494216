using System.Buffers.Binary;
using System.Collections.Frozen;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Network;

/// <summary>
/// Decodes a frame's header and body and starts the API's handler. Unknown API keys, unsupported
/// versions and malformed bodies return null (the connection is closed, as Kafka does), except
/// ApiVersions at an unsupported version, which gets the v0-layout UNSUPPORTED_VERSION answer
/// listing our versions so the client can retry with one we speak.
/// </summary>
public sealed class RequestDispatcher
{
    private readonly FrozenDictionary<ApiKey, IRequestHandler> _handlers;
    private readonly ILogger _logger;
    private readonly byte[] _apiVersionsFallbackBody;

    /// <summary>Creates a dispatcher over <paramref name="handlers"/>, one per API.</summary>
    public RequestDispatcher(IEnumerable<IRequestHandler> handlers, ILogger<RequestDispatcher> logger)
    {
        _handlers = handlers.ToFrozenDictionary(h => h.ApiKey);
        _logger = logger;
        _apiVersionsFallbackBody = EncodeUnsupportedApiVersionsBody();
    }

    /// <summary>The handlers, for ApiVersions.</summary>
    public IEnumerable<IRequestHandler> Handlers => _handlers.Values.OrderBy(h => h.ApiKey);

    internal PendingResponse? Dispatch(RequestFrame frame, ConnectionContext connection, CancellationToken cancellationToken)
    {
        var span = frame.Memory.Span;
        short rawKey = BinaryPrimitives.ReadInt16BigEndian(span);
        short version = BinaryPrimitives.ReadInt16BigEndian(span[2..]);
        int correlationId = BinaryPrimitives.ReadInt32BigEndian(span[4..]);
        var key = (ApiKey)rawKey;
        if (!_handlers.TryGetValue(key, out var handler))
        {
            BrokerLog.UnknownApiKey(_logger, connection.ConnectionId, rawKey);
            frame.Dispose();
            return null;
        }
        if (version < handler.MinVersion || version > handler.MaxVersion)
        {
            if (key == ApiKey.ApiVersions)
            {
                var ctx0 = new RequestContext { ApiKey = key, ApiVersion = 0, CorrelationId = correlationId, ConnectionId = connection.ConnectionId };
                return new PendingResponse(ctx0, ValueTask.FromResult(HandlerResult.None), frame, _apiVersionsFallbackBody);
            }
            BrokerLog.UnsupportedVersion(_logger, connection.ConnectionId, key, version);
            frame.Dispose();
            return null;
        }

        IKafkaRequest request;
        string? clientId;
        try
        {
            var reader = new KafkaReader(frame.Memory);
            var header = new RequestHeader();
            header.Read(ref reader, HeaderVersions.RequestHeaderVersion(key, version));
            clientId = header.ClientId;
            request = ApiMessages.CreateRequest(key);
            request.Read(ref reader, version);
        }
        catch (KafkaProtocolException e)
        {
            BrokerLog.MalformedRequest(_logger, connection.ConnectionId, key, version, e.Message);
            frame.Dispose();
            return null;
        }

        var context = new RequestContext
        {
            ApiKey = key,
            ApiVersion = version,
            CorrelationId = correlationId,
            ClientId = clientId,
            ConnectionId = connection.ConnectionId,
            RemoteEndPoint = connection.RemoteEndPoint?.ToString(),
        };
        ValueTask<HandlerResult> result;
        try
        {
            result = handler.HandleAsync(context, request, cancellationToken);
        }
        catch (Exception e)
        {
            result = ValueTask.FromException<HandlerResult>(e);
        }
        return new PendingResponse(context, result, frame);
    }

    /// <summary>ApiVersionsResponse v0 body: error 35 then (key, min, max) for every API we serve.</summary>
    private byte[] EncodeUnsupportedApiVersionsBody()
    {
        using var writer = new KafkaWriter(256);
        writer.WriteInt16((short)ErrorCode.UnsupportedVersion);
        writer.WriteInt32(_handlers.Count);
        foreach (var h in Handlers)
        {
            writer.WriteInt16((short)h.ApiKey);
            writer.WriteInt16(h.MinVersion);
            writer.WriteInt16(h.MaxVersion);
        }
        return writer.ToArray();
    }
}
