using System.Buffers.Binary;
using System.Net.Sockets;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Replication;

/// <summary>
/// A connection from this broker to another, for replication: one request at a time (the replica
/// fetcher is sequential: fetch, append, fetch again), each answered before the next is sent. A
/// failure or timeout closes the channel (throwing <see cref="IOException"/>); the owner dials a new one.
/// Versions are fixed (both ends are AkkaLog brokers).
/// </summary>
internal sealed class BrokerChannel : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly string _clientId;
    private readonly byte[] _prefix = new byte[4];
    private int _correlationId;

    private BrokerChannel(TcpClient tcp, string clientId)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _clientId = clientId;
    }

    /// <summary>Dials <paramref name="host"/>:<paramref name="port"/> within <paramref name="timeout"/>.</summary>
    public static async Task<BrokerChannel> ConnectAsync(string host, int port, string clientId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await tcp.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            return new BrokerChannel(tcp, clientId);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new IOException($"cannot connect to {host}:{port}: {e.Message}", e);
        }
    }

    /// <summary>Sends <paramref name="request"/> at <paramref name="version"/> and reads its response.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version, TimeSpan timeout, CancellationToken cancellationToken)
        where TResponse : IKafkaResponse, new()
    {
        int correlationId = ++_correlationId;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            using (var writer = new KafkaWriter(256))
            {
                int sizeAt = writer.ReserveInt32();
                KafkaHeaders.WriteRequestHeader(writer, request.ApiKey, version, correlationId, _clientId);
                request.Write(writer, version);
                writer.PatchInt32(sizeAt, writer.Position - 4);
                await _stream.WriteAsync(writer.WrittenMemory, cts.Token).ConfigureAwait(false);
            }
            await _stream.ReadExactlyAsync(_prefix, cts.Token).ConfigureAwait(false);
            int size = BinaryPrimitives.ReadInt32BigEndian(_prefix);
            if (size < 4 || size > 256 << 20) throw new IOException($"response frame of {size} bytes");
            // A fresh array: the parsed response's records are slices of it and live until appended.
            var frame = new byte[size];
            await _stream.ReadExactlyAsync(frame, cts.Token).ConfigureAwait(false);
            var reader = new KafkaReader(frame);
            var header = KafkaHeaders.ReadResponseHeader(ref reader, request.ApiKey, version);
            if (header.CorrelationId != correlationId) throw new IOException($"response to {header.CorrelationId}, expected {correlationId}");
            var response = new TResponse();
            response.Read(ref reader, version);
            return response;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"{request.ApiKey} not answered within {timeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or KafkaProtocolException or EndOfStreamException)
        {
            throw new IOException($"{request.ApiKey} failed: {e.Message}", e);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
