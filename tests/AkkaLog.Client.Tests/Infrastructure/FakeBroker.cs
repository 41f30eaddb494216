using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Tests.Infrastructure;

/// <summary>A request as the fake broker saw it.</summary>
public sealed record FakeRequest(ApiKey Key, short Version, int CorrelationId, byte[] Frame);

/// <summary>
/// A loopback TCP server speaking just enough Kafka to test the connection layer: it answers
/// ApiVersions itself (the version ranges given), and hands every other request to a handler that
/// returns the response frame, or null to never answer. Handlers run concurrently and responses are
/// written as they finish, so a test can answer out of order.
/// </summary>
public sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeRequest, Task<byte[]?>> _handler;
    private readonly (ApiKey Key, short Min, short Max)[] _apis;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = new();

    public FakeBroker(Func<FakeRequest, Task<byte[]?>> handler, params (ApiKey Key, short Min, short Max)[] apis)
    {
        _handler = handler;
        _apis = apis;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>ApiVersions versions the fake refuses with UNSUPPORTED_VERSION (in the v0 layout, as Kafka does).</summary>
    public short MaxApiVersionsVersion { get; init; } = 3;

    /// <summary>ApiVersions requests seen, by version.</summary>
    public List<short> ApiVersionsSeen { get; } = new();

    /// <summary>A Metadata answer: this broker (node 1 at <paramref name="port"/>) leads the only partition of <paramref name="topic"/>.</summary>
    public static byte[] OnePartitionMetadata(FakeRequest request, int port, string topic = "t") => Frame(request, new MetadataResponse
    {
        Brokers = [new MetadataResponse.MetadataResponseBroker { NodeId = 1, Host = "127.0.0.1", Port = port }],
        ControllerId = 1,
        Topics = [new MetadataResponse.MetadataResponseTopic
        {
            Name = topic,
            Partitions = [new MetadataResponse.MetadataResponsePartition { PartitionIndex = 0, LeaderId = 1, ReplicaNodes = [1], IsrNodes = [1] }],
        }],
    });

    /// <summary>Encodes a response frame (size prefix included).</summary>
    public static byte[] Frame(FakeRequest request, IKafkaResponse response)
    {
        using var writer = new KafkaWriter();
        int size = writer.ReserveInt32();
        KafkaHeaders.WriteResponseHeader(writer, request.Key, request.Version, request.CorrelationId);
        response.Write(writer, request.Version);
        writer.PatchInt32(size, writer.Position - 4);
        return writer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_clients) foreach (var c in _clients) c.Dispose();
        await Task.Yield();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            lock (_clients) _clients.Add(client);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var stream = client.GetStream();
        var writeLock = new SemaphoreSlim(1, 1);
        try
        {
            var prefix = new byte[4];
            while (true)
            {
                await stream.ReadExactlyAsync(prefix, _stop.Token);
                var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
                await stream.ReadExactlyAsync(frame, _stop.Token);
                var reader = new KafkaReader(frame);
                var header = KafkaHeaders.ReadRequestHeader(ref reader, out _);
                var request = new FakeRequest((ApiKey)header.RequestApiKey, header.RequestApiVersion, header.CorrelationId, frame);
                _ = AnswerAsync(request, stream, writeLock);
            }
        }
        catch (Exception)
        {
            client.Dispose();
        }
    }

    private async Task AnswerAsync(FakeRequest request, NetworkStream stream, SemaphoreSlim writeLock)
    {
        byte[]? response;
        if (request.Key == ApiKey.ApiVersions)
        {
            lock (ApiVersionsSeen) ApiVersionsSeen.Add(request.Version);
            var body = new ApiVersionsResponse
            {
                ApiKeys = _apis.Append((Key: ApiKey.ApiVersions, Min: (short)0, Max: MaxApiVersionsVersion))
                    .Select(a => new ApiVersionsResponse.ApiVersion { ApiKey = (short)a.Key, MinVersion = a.Min, MaxVersion = a.Max }).ToList(),
            };
            if (request.Version > MaxApiVersionsVersion)
            {
                body.ErrorCode = (short)ErrorCode.UnsupportedVersion;
                response = Frame(request with { Version = 0 }, body);
            }
            else response = Frame(request, body);
        }
        else response = await _handler(request);
        if (response is null) return;
        await writeLock.WaitAsync();
        try { await stream.WriteAsync(response); }
        catch (Exception) { }
        finally { writeLock.Release(); }
    }
}
