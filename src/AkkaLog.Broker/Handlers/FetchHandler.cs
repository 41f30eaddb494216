using AkkaLog.Broker.Network;
using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// Fetch (key 1), v4+ (record batch v2). Returns stored batches as they are, starting with the
/// batch that holds the fetch offset, and never past the high watermark. The first partition
/// with data gets at least one whole batch even past the size limits (KIP-74): kafkajs drops
/// incomplete batches and would stall otherwise. If fewer than <c>min.bytes</c> are ready the
/// request waits until an append to any of its partitions or <c>max.wait.ms</c>, whichever comes
/// first (long poll). Fetch sessions (KIP-227) are not kept: session id 0 tells clients to send
/// full requests. v13+ names topics by id. read_committed sees up to the last stable offset,
/// which equals the high watermark while there are no transactions.
/// </summary>
public sealed class FetchHandler(BrokerServices broker) : RequestHandler<FetchRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.Fetch;
    /// <inheritdoc />
    public override short MinVersion => 4;
    /// <inheritdoc />
    public override short MaxVersion => 16;

    /// <inheritdoc />
    protected override async ValueTask<HandlerResult> HandleAsync(RequestContext context, FetchRequest request, CancellationToken cancellationToken)
    {
        var time = broker.Time;
        long deadline = time.GetTimestamp() + TimeSpan.FromMilliseconds(Math.Max(request.MaxWaitMs, 0)).Ticks * time.TimestampFrequency / TimeSpan.TicksPerSecond;
        int maxBytes = Math.Min(context.ApiVersion >= 3 ? request.MaxBytes : int.MaxValue, broker.Config.FetchMaxBytes);
        if (maxBytes <= 0) maxBytes = broker.Config.FetchMaxBytes;
        bool byId = context.ApiVersion >= 13;
        var waits = new List<Task>();
        while (true)
        {
            waits.Clear();
            var reads = new ReadBuffers();
            var (response, bytes, hasError) = ReadAll(request, byId, maxBytes, reads, waits);
            var remaining = time.GetElapsedTime(time.GetTimestamp(), deadline);
            if (bytes >= request.MinBytes || hasError || remaining <= TimeSpan.Zero || waits.Count == 0)
                return new HandlerResult(response, reads);
            reads.Dispose();
            waits.Add(Task.Delay(remaining, time, cancellationToken));
            await Task.WhenAny(waits);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private (FetchResponse Response, long Bytes, bool HasError) ReadAll(FetchRequest request, bool byId, int maxBytes,
        ReadBuffers reads, List<Task> waits)
    {
        var response = new FetchResponse { SessionId = 0 };
        var image = broker.Metadata.Current;
        long total = 0;
        bool hasError = false;
        foreach (var topic in request.Topics)
        {
            string? name = topic.Topic;
            if (byId) name = image.TopicsById.TryGetValue(topic.TopicId, out var t) ? t.Name : null;
            var topicResponse = new FetchResponse.FetchableTopicResponse { Topic = name ?? "", TopicId = topic.TopicId };
            response.Responses.Add(topicResponse);
            foreach (var wanted in topic.Partitions)
            {
                var data = new FetchResponse.PartitionData
                {
                    PartitionIndex = wanted.Partition,
                    HighWatermark = -1,
                    LastStableOffset = -1,
                    LogStartOffset = -1,
                    PreferredReadReplica = -1,
                    Records = ReadOnlyMemory<byte>.Empty, // librdkafka rejects a null (-1) record set
                };
                topicResponse.Partitions.Add(data);
                if (name is null) { data.ErrorCode = (short)ErrorCode.UnknownTopicId; hasError = true; continue; }
                if (!broker.Replicas.TryGetPartition(name, wanted.Partition, out var partition))
                {
                    data.ErrorCode = (short)ErrorCode.UnknownTopicOrPartition;
                    hasError = true;
                    continue;
                }
                var error = CheckEpoch(wanted.CurrentLeaderEpoch, partition);
                if (error == ErrorCode.None)
                {
                    waits.Add(partition.NextAppend);
                    int limit = (int)Math.Min(wanted.PartitionMaxBytes, Math.Max(maxBytes - total, 0));
                    error = Read(partition, wanted.FetchOffset, limit, minOneBatch: total == 0, data, reads, out int read);
                    total += read;
                }
                if (error != ErrorCode.None) { data.ErrorCode = (short)error; hasError = true; }
            }
        }
        return (response, total, hasError);
    }

    private static ErrorCode CheckEpoch(int requested, Partition partition) =>
        requested < 0 || requested == partition.LeaderEpoch ? ErrorCode.None
        : requested > partition.LeaderEpoch ? ErrorCode.UnknownLeaderEpoch
        : ErrorCode.FencedLeaderEpoch;

    private static ErrorCode Read(Partition partition, long offset, int limit, bool minOneBatch, FetchResponse.PartitionData data,
        ReadBuffers reads, out int read)
    {
        read = 0;
        long highWatermark = partition.HighWatermark;
        var log = partition.Log;
        data.HighWatermark = highWatermark;
        data.LastStableOffset = highWatermark;
        data.LogStartOffset = log.LogStartOffset;
        if (offset < log.LogStartOffset || offset > log.LogEndOffset) return ErrorCode.OffsetOutOfRange;
        if (offset >= highWatermark || (limit <= 0 && !minOneBatch)) return ErrorCode.None;
        var result = log.Read(offset, limit, highWatermark, minOneBatch);
        if (result.Status == AkkaLog.Storage.LogReadStatus.OffsetOutOfRange)
        {
            result.Dispose();
            return ErrorCode.OffsetOutOfRange;
        }
        reads.Add(result);
        if (result.Records.Length > 0) data.Records = result.Records;
        read = result.Records.Length;
        return ErrorCode.None;
    }
}
