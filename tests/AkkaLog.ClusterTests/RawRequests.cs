using System.Buffers.Binary;
using System.Net.Sockets;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Protocol.Records;

namespace AkkaLog.ClusterTests;

/// <summary>Single requests to one chosen broker (clients route by metadata; these do not).</summary>
public static class RawRequests
{
    /// <summary>Sends one request to 127.0.0.1:<paramref name="port"/> and parses the response.</summary>
    public static async Task<TResponse> SendAsync<TResponse>(int port, IKafkaRequest request, short version)
        where TResponse : IKafkaResponse, new()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        using (var writer = new KafkaWriter(256))
        {
            int sizeAt = writer.ReserveInt32();
            KafkaHeaders.WriteRequestHeader(writer, request.ApiKey, version, 7, "cluster-test");
            request.Write(writer, version);
            writer.PatchInt32(sizeAt, writer.Position - 4);
            await stream.WriteAsync(writer.WrittenMemory);
        }
        var prefix = new byte[4];
        await stream.ReadExactlyAsync(prefix);
        var frame = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
        await stream.ReadExactlyAsync(frame);
        var reader = new KafkaReader(frame);
        KafkaHeaders.ReadResponseHeader(ref reader, request.ApiKey, version);
        var response = new TResponse();
        response.Read(ref reader, version);
        return response;
    }

    /// <summary>Produces one record to a partition through the broker on <paramref name="port"/>; returns the error code.</summary>
    public static async Task<ErrorCode> ProduceOneAsync(int port, string topic, int partition, short acks, string value)
    {
        using var builder = new RecordBatchBuilder();
        builder.Append(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "k"u8, System.Text.Encoding.UTF8.GetBytes(value));
        var request = new ProduceRequest { Acks = acks, TimeoutMs = 5000 };
        request.TopicData.Add(new ProduceRequest.TopicProduceData
        {
            Name = topic,
            PartitionData = [new ProduceRequest.PartitionProduceData { Index = partition, Records = builder.ToArray() }],
        });
        var response = await SendAsync<ProduceResponse>(port, request, 9);
        return (ErrorCode)response.Responses[0].PartitionResponses[0].ErrorCode;
    }

    /// <summary>The node id of the group's coordinator, asking the broker on <paramref name="port"/>; -1 if none yet.</summary>
    public static async Task<int> FindCoordinatorAsync(int port, string group)
    {
        var response = await SendAsync<FindCoordinatorResponse>(port, new FindCoordinatorRequest { Key = group, KeyType = 0 }, 1);
        return response.ErrorCode == 0 ? response.NodeId : -1;
    }
}
