using System.Buffers.Binary;
using System.Net.Sockets;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Cli.Infrastructure;

/// <summary>
/// Sends one admin request the .NET admin client does not offer (AlterPartitionReassignments,
/// ListPartitionReassignments, ElectLeaders) to the first bootstrap broker that accepts a connection.
/// AkkaLog brokers serve these on any broker (KRaft-mode Kafka brokers forward them to the controller).
/// </summary>
internal static class AdminRequests
{
    /// <summary>Sends <paramref name="request"/> at <paramref name="version"/>; throws <see cref="IOException"/> when no broker answers.</summary>
    public static async Task<TResponse> SendAsync<TResponse>(CliContext context, IKafkaRequest request, short version)
        where TResponse : IKafkaResponse, new()
    {
        Exception? last = null;
        foreach (string server in context.Bootstrap.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int colon = server.LastIndexOf(':');
            string host = colon > 0 ? server[..colon].Trim('[', ']') : server;
            int port = colon > 0 && int.TryParse(server[(colon + 1)..], out int p) ? p : 9092;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.Cancellation);
            timeout.CancelAfter(context.ApiTimeoutMs);
            try
            {
                using var tcp = new TcpClient { NoDelay = true };
                await tcp.ConnectAsync(host, port, timeout.Token);
                var stream = tcp.GetStream();
                using (var writer = new KafkaWriter(256))
                {
                    int sizeAt = writer.ReserveInt32();
                    KafkaHeaders.WriteRequestHeader(writer, request.ApiKey, version, 1, ClientDefaults.ClientId);
                    request.Write(writer, version);
                    writer.PatchInt32(sizeAt, writer.Position - 4);
                    await stream.WriteAsync(writer.WrittenMemory, timeout.Token);
                }
                var prefix = new byte[4];
                await stream.ReadExactlyAsync(prefix, timeout.Token);
                int size = BinaryPrimitives.ReadInt32BigEndian(prefix);
                if (size < 4 || size > 64 << 20) throw new IOException($"{server} sent a {size}-byte response");
                var frame = new byte[size];
                await stream.ReadExactlyAsync(frame, timeout.Token);
                var reader = new KafkaReader(frame);
                KafkaHeaders.ReadResponseHeader(ref reader, request.ApiKey, version);
                var response = new TResponse();
                response.Read(ref reader, version);
                return response;
            }
            catch (Exception e) when (e is SocketException or IOException || (e is OperationCanceledException && !context.Cancellation.IsCancellationRequested))
            {
                last = e;
            }
        }
        throw new IOException($"no broker of {context.Bootstrap} answered {request.ApiKey}: {last?.Message}", last);
    }
}
