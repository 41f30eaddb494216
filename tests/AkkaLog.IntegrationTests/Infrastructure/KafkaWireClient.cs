using System.Buffers.Binary;
using System.Net.Sockets;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.IntegrationTests.Infrastructure;

/// <summary>
/// A minimal Kafka client over one TCP connection, built on the generated protocol messages:
/// frame = int32 size + request header (version from <see cref="HeaderVersions"/>) + body. One request
/// in flight at a time. Typed helpers live in the partial files next to this one.
/// </summary>
public sealed partial class KafkaWireClient : IAsyncDisposable
{
    /// <summary>How long a read may wait for the broker before the test fails.</summary>
    public static readonly TimeSpan DefaultReadTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private int _correlationId;

    private KafkaWireClient(TcpClient tcp)
    {
        _tcp = tcp;
        _tcp.NoDelay = true;
        _stream = tcp.GetStream();
    }

    /// <summary>The client id sent in every request header.</summary>
    public string ClientId { get; init; } = "akkalog-it";

    /// <summary>Connects to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static async Task<KafkaWireClient> ConnectAsync(string host, int port, TimeSpan? timeout = null)
    {
        var tcp = new TcpClient();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            await tcp.ConnectAsync(host, port, cts.Token);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
        return new KafkaWireClient(tcp);
    }

    /// <summary>Sends <paramref name="request"/> at <paramref name="version"/> and reads the matching response.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IKafkaRequest request, short version, TimeSpan? timeout = null)
        where TResponse : IKafkaResponse, new()
    {
        int correlationId = await WriteRequestAsync(request, version);
        var frame = await ReadFrameAsync(timeout) ?? throw new IOException(
            $"broker closed the connection instead of answering {request.ApiKey} v{version}");
        return ParseResponse<TResponse>(frame, request.ApiKey, version, correlationId);
    }

    /// <summary>Sends a request that gets no response (Produce with acks=0).</summary>
    public async Task SendWithoutResponseAsync(IKafkaRequest request, short version) =>
        await WriteRequestAsync(request, version);

    /// <summary>Encodes a full frame (size prefix included) without sending it.</summary>
    public static byte[] EncodeFrame(IKafkaRequest request, short version, int correlationId, string clientId = "akkalog-it")
    {
        using var writer = new KafkaWriter();
        int sizeAt = writer.ReserveInt32();
        var header = new RequestHeader
        {
            RequestApiKey = (short)request.ApiKey,
            RequestApiVersion = version,
            CorrelationId = correlationId,
            ClientId = clientId,
        };
        header.Write(writer, HeaderVersions.RequestHeaderVersion(request.ApiKey, version));
        request.Write(writer, version);
        writer.PatchInt32(sizeAt, writer.Position - 4);
        return writer.ToArray();
    }

    /// <summary>Writes raw bytes (a hand-made or damaged frame) as they are.</summary>
    public async Task SendRawAsync(byte[] frame)
    {
        await _stream.WriteAsync(frame);
        await _stream.FlushAsync();
    }

    /// <summary>
    /// Reads one response frame (without its size prefix), or null when the broker closed the
    /// connection (read returned 0 or the connection was reset). Throws <see cref="TimeoutException"/>
    /// if nothing arrives within the timeout.
    /// </summary>
    public async Task<byte[]?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultReadTimeout);
        try
        {
            var sizeBytes = new byte[4];
            if (!await ReadExactlyOrEofAsync(sizeBytes, cts.Token)) return null;
            int size = BinaryPrimitives.ReadInt32BigEndian(sizeBytes);
            if (size < 4 || size > 256 * 1024 * 1024) throw new IOException($"broker sent a response frame of size {size}");
            var body = new byte[size];
            if (!await ReadExactlyOrEofAsync(body, cts.Token)) throw new IOException("broker closed the connection mid-response");
            return body;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no response within {(timeout ?? DefaultReadTimeout).TotalSeconds} s");
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionReset })
        {
            return null;
        }
    }

    /// <summary>
    /// Waits until the broker closes the connection; true if it did within <paramref name="timeout"/>,
    /// false if it stayed open. Throws if the broker sends a response instead.
    /// </summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        try
        {
            var frame = await ReadFrameAsync(timeout);
            if (frame is null) return true;
            throw new IOException($"expected the broker to close the connection, but it answered with {frame.Length} bytes");
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Parses a response frame (no size prefix) for <paramref name="apiKey"/> at <paramref name="version"/>.</summary>
    public static TResponse ParseResponse<TResponse>(byte[] frame, ApiKey apiKey, short version, int expectedCorrelationId)
        where TResponse : IKafkaResponse, new()
    {
        var reader = new KafkaReader(frame);
        var header = new ResponseHeader();
        header.Read(ref reader, HeaderVersions.ResponseHeaderVersion(apiKey, version));
        if (header.CorrelationId != expectedCorrelationId)
            throw new IOException($"correlation id {header.CorrelationId} in the response, expected {expectedCorrelationId}");
        var response = new TResponse();
        response.Read(ref reader, version);
        if (!reader.IsAtEnd)
            throw new IOException($"{apiKey} v{version} response has {reader.Remaining} trailing bytes");
        return response;
    }

    /// <summary>The correlation id the next request will carry.</summary>
    public int NextCorrelationId => _correlationId + 1;

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<int> WriteRequestAsync(IKafkaRequest request, short version)
    {
        int correlationId = Interlocked.Increment(ref _correlationId);
        await SendRawAsync(EncodeFrame(request, version, correlationId, ClientId));
        return correlationId;
    }

    private async Task<bool> ReadExactlyOrEofAsync(byte[] buffer, CancellationToken ct)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await _stream.ReadAsync(buffer.AsMemory(read), ct);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new IOException($"connection closed after {read} of {buffer.Length} bytes");
            }
            read += n;
        }
        return true;
    }
}
