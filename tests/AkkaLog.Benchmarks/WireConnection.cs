using System.Buffers.Binary;
using System.Net.Sockets;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Benchmarks;

/// <summary>A bare Kafka connection for the load generator: writes pre-encoded frames, reads response frames.</summary>
internal sealed class WireConnection : IAsyncDisposable
{
    private readonly TcpClient _client = new() { NoDelay = true };
    private NetworkStream _stream = null!;
    private int _correlation;

    public static async Task<WireConnection> ConnectAsync(string host, int port)
    {
        var c = new WireConnection();
        c._client.ReceiveBufferSize = 4 << 20;
        c._client.SendBufferSize = 4 << 20;
        await c._client.ConnectAsync(host, port);
        c._stream = c._client.GetStream();
        return c;
    }

    /// <summary>Encodes a request frame (size prefix, header, body).</summary>
    public byte[] Encode(IKafkaRequest request, short version)
    {
        using var writer = new KafkaWriter(1 << 16);
        int size = writer.ReserveInt32();
        var header = new RequestHeader { RequestApiKey = (short)request.ApiKey, RequestApiVersion = version, CorrelationId = Interlocked.Increment(ref _correlation), ClientId = "akkalog-loadgen" };
        header.Write(writer, HeaderVersions.RequestHeaderVersion(request.ApiKey, version));
        request.Write(writer, version);
        writer.PatchInt32(size, writer.Position - 4);
        return writer.ToArray();
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> frame) => _stream.WriteAsync(frame);

    /// <summary>Reads one response frame; returns its body after the correlation id.</summary>
    public async Task<byte[]> ReceiveAsync()
    {
        var prefix = new byte[4];
        await _stream.ReadExactlyAsync(prefix);
        var body = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        await _stream.ReadExactlyAsync(body);
        return body;
    }

    /// <summary>Reads one response frame into <paramref name="buffer"/> (grown if needed); returns its length.</summary>
    public async Task<int> ReceiveIntoAsync(byte[] buffer)
    {
        await _stream.ReadExactlyAsync(buffer.AsMemory(0, 4));
        int size = BinaryPrimitives.ReadInt32BigEndian(buffer);
        if (size > buffer.Length) throw new InvalidOperationException($"response of {size} bytes exceeds the receive buffer");
        await _stream.ReadExactlyAsync(buffer.AsMemory(0, size));
        return size;
    }

    public async Task<TResponse> CallAsync<TResponse>(IKafkaRequest request, short version) where TResponse : IKafkaResponse, new()
    {
        await SendAsync(Encode(request, version));
        var body = await ReceiveAsync();
        var reader = new KafkaReader(body);
        var header = new ResponseHeader();
        header.Read(ref reader, HeaderVersions.ResponseHeaderVersion(request.ApiKey, version));
        var response = new TResponse();
        response.Read(ref reader, version);
        return response;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
