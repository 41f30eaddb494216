using AkkaLog.Protocol;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker;

/// <summary>The broker's log messages, with fixed event ids.</summary>
internal static partial class BrokerLog
{
    [LoggerMessage(1001, LogLevel.Warning, "Closing connection {ConnectionId} from {Remote}: request size exceeds socket.request.max.bytes ({MaxBytes}) or is negative")]
    public static partial void FrameTooLarge(ILogger logger, string connectionId, string? remote, int maxBytes);

    [LoggerMessage(1002, LogLevel.Information, "Connection {ConnectionId} closed with {Bytes} bytes of a truncated frame")]
    public static partial void TruncatedFrame(ILogger logger, string connectionId, long bytes);

    [LoggerMessage(1003, LogLevel.Warning, "Closing connection {ConnectionId}: unknown API key {ApiKey}")]
    public static partial void UnknownApiKey(ILogger logger, string connectionId, short apiKey);

    [LoggerMessage(1004, LogLevel.Warning, "Closing connection {ConnectionId}: {ApiKey} version {Version} is not supported")]
    public static partial void UnsupportedVersion(ILogger logger, string connectionId, ApiKey apiKey, short version);

    [LoggerMessage(1005, LogLevel.Warning, "Closing connection {ConnectionId}: malformed {ApiKey} v{Version} request: {Reason}")]
    public static partial void MalformedRequest(ILogger logger, string connectionId, ApiKey apiKey, short version, string reason);

    [LoggerMessage(1006, LogLevel.Error, "Handler for {ApiKey} v{Version} failed on connection {ConnectionId}; closing it")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, ApiKey apiKey, short version, string connectionId);

    [LoggerMessage(1007, LogLevel.Warning, "Rejected produce to {Topic}-{Partition}: {Error} ({Reason})")]
    public static partial void ProduceRejected(ILogger logger, string topic, int partition, ErrorCode error, string reason);

    [LoggerMessage(1008, LogLevel.Information, "Created topic {Topic} with {Partitions} partitions")]
    public static partial void TopicCreated(ILogger logger, string topic, int partitions);

    [LoggerMessage(1009, LogLevel.Information, "Deleted topic {Topic}")]
    public static partial void TopicDeleted(ILogger logger, string topic);
}
