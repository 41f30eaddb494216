using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;
using AkkaLog.Broker.Config;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Network;

/// <summary>
/// Serves one client connection: reads size-prefixed frames from Kestrel's pipe, checks the
/// declared size against <c>socket.request.max.bytes</c> before buffering, dispatches each request
/// and writes responses strictly in request order (the protocol requires it) while later requests
/// are already being served. A frame that cannot be understood closes the connection, which is
/// what Kafka does where the protocol has no way to answer.
/// </summary>
public sealed class KafkaConnectionHandler(RequestDispatcher dispatcher, BrokerConfig config, ILogger<KafkaConnectionHandler> logger)
    : ConnectionHandler
{
    /// <summary>Requests a connection may have in flight before we stop reading from it.</summary>
    public const int MaxInFlightPerConnection = 64;

    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var inFlight = Channel.CreateBounded<PendingResponse>(new BoundedChannelOptions(MaxInFlightPerConnection)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
        // On shutdown Kestrel asks connections to close: stop reading new requests at once (an idle
        // consumer must not hold a graceful stop for shutdown.timeout.ms), but still answer what is in flight.
        var closeRequested = connection.Features.Get<Microsoft.AspNetCore.Connections.Features.IConnectionLifetimeNotificationFeature>()?.ConnectionClosedRequested
            ?? CancellationToken.None;
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(closing.Token, closeRequested);
        var writer = new ResponseWriter(connection.Transport.Output, logger, connection.ConnectionId);
        var writeLoop = writer.RunAsync(inFlight.Reader, closing.Token);
        int maxFrame = config.SocketRequestMaxBytes;
        try
        {
            while (!stopReading.IsCancellationRequested)
            {
                var result = await input.ReadAsync(stopReading.Token);
                var buffer = result.Buffer;
                FrameStatus status;
                while ((status = TryReadFrame(ref buffer, maxFrame, out var frame, out int declared)) == FrameStatus.Complete)
                {
                    var pending = dispatcher.Dispatch(frame!, connection, closing.Token);
                    if (pending is null)
                    {
                        status = FrameStatus.Invalid;
                        break;
                    }
                    await inFlight.Writer.WriteAsync(pending.Value, closing.Token);
                }
                if (status == FrameStatus.TooLarge || status == FrameStatus.Invalid)
                {
                    if (status == FrameStatus.TooLarge)
                        BrokerLog.FrameTooLarge(logger, connection.ConnectionId, connection.RemoteEndPoint?.ToString(), maxFrame);
                    input.AdvanceTo(buffer.End);
                    break;
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty) BrokerLog.TruncatedFrame(logger, connection.ConnectionId, buffer.Length);
                    break;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (ConnectionResetException) { }
        finally
        {
            inFlight.Writer.TryComplete();
            try { await writeLoop; }
            catch (Exception e) when (e is OperationCanceledException or ConnectionResetException) { }
            closing.Cancel();
            await input.CompleteAsync();
        }
    }

    private enum FrameStatus { NeedMore, Complete, TooLarge, Invalid }

    private static FrameStatus TryReadFrame(ref ReadOnlySequence<byte> buffer, int maxFrame, out RequestFrame? frame, out int size)
    {
        frame = null;
        size = 0;
        if (buffer.Length < 4) return FrameStatus.NeedMore;
        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        size = BinaryPrimitives.ReadInt32BigEndian(prefix);
        if (size < 0 || size > maxFrame) return FrameStatus.TooLarge;
        if (size < 8) return FrameStatus.Invalid; // not even api key, version and correlation id
        if (buffer.Length < 4L + size) return FrameStatus.NeedMore;
        frame = new RequestFrame(buffer.Slice(4, size));
        buffer = buffer.Slice(4 + size);
        return FrameStatus.Complete;
    }
}
