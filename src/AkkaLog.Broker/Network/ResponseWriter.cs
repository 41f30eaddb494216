using System.Buffers;
using System.IO.Pipelines;
using System.Threading.Channels;
using AkkaLog.Protocol;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Network;

/// <summary>
/// Writes a connection's responses in request order: awaits each pending handler in turn,
/// encodes size prefix, response header and body into one pooled buffer, and flushes when no
/// further response is ready (so pipelined responses share a flush).
/// </summary>
internal sealed class ResponseWriter(PipeWriter output, ILogger logger, string connectionId)
{
    public async Task RunAsync(ChannelReader<PendingResponse> pending, CancellationToken cancellationToken)
    {
        using var encoder = new KafkaWriter(64 * 1024);
        bool failed = false;
        while (await pending.WaitToReadAsync(CancellationToken.None))
        {
            while (pending.TryRead(out var item))
            {
                HandlerResult result = default;
                try
                {
                    if (failed) continue;
                    result = await item.Result;
                    if (item.PreEncodedBody is not null || result.Response is not null)
                    {
                        Encode(encoder, item, result);
                        output.Write(encoder.WrittenSpan);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A handler bug: the protocol has no generic error response, so, like Kafka,
                    // we close this connection and keep serving everyone else.
                    BrokerLog.HandlerFailed(logger, e, item.Context.ApiKey, item.Context.ApiVersion, connectionId);
                    failed = true;
                }
                catch (OperationCanceledException)
                {
                    failed = true;
                }
                finally
                {
                    result.Resources?.Dispose();
                    item.Frame.Dispose();
                }
            }
            if (failed) break;
            var flush = await output.FlushAsync(cancellationToken);
            if (flush.IsCompleted || flush.IsCanceled) break;
        }
        // Release whatever is still queued (the connection is closing).
        while (pending.TryRead(out var rest))
        {
            try { (await rest.Result).Resources?.Dispose(); } catch { /* closing anyway */ }
            rest.Frame.Dispose();
        }
        await output.CompleteAsync();
    }

    private static void Encode(KafkaWriter writer, in PendingResponse item, in HandlerResult result)
    {
        var ctx = item.Context;
        writer.Reset();
        int sizeAt = writer.ReserveInt32();
        writer.WriteInt32(ctx.CorrelationId);
        if (item.PreEncodedBody is { } body)
        {
            writer.WriteRaw(body);
        }
        else
        {
            if (HeaderVersions.ResponseHeaderVersion(ctx.ApiKey, ctx.ApiVersion) >= 1) writer.WriteEmptyTaggedFields();
            result.Response!.Write(writer, ctx.ApiVersion);
        }
        writer.PatchInt32(sizeAt, writer.Position - sizeAt - 4);
    }
}
