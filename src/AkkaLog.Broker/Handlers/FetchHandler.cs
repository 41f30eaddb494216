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
/// <para>
/// Only the leader serves fetches (no follower fetching, KIP-392): elsewhere a partition answers
/// NOT_LEADER_OR_FOLLOWER so the client refreshes its metadata. A fetch with a replica id (v0-14's
/// ReplicaId, v15+'s ReplicaState, KIP-903) comes from a follower: it reads up to the log end
/// rather than the high watermark, and its fetch offset is reported to the partition as that
/// follower's log end offset, which moves the high watermark and the ISR. Its current leader epoch
/// must match ours (FENCED_LEADER_EPOCH for a stale follower, UNKNOWN_LEADER_EPOCH for one ahead).
/// </para>
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
        int replicaId = context.ApiVersion >= 15 ? request.ReplicaState.ReplicaId : request.ReplicaId;
        // The follower's registration (KIP-903): sent as ReplicaEpoch from v15, else as this broker's image knows it now.
        long incarnation = context.ApiVersion >= 15 && request.ReplicaState.ReplicaEpoch > 0 ? request.ReplicaState.ReplicaEpoch
            : replicaId >= 0 && broker.Metadata.Current.Brokers.TryGetValue(replicaId, out var follower) ? follower.Incarnation : 0;
        var waits = new List<Task>();
        bool first = true;
        while (true)
        {
            waits.Clear();
            var reads = new ReadBuffers();
            var (response, bytes, hasError) = ReadAll(request, byId, maxBytes, reads, waits, replicaId, incarnation, first);
            first = false;
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
        ReadBuffers reads, List<Task> waits, int replicaId, long incarnation, bool firstPass)
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
                if (!broker.Replicas.TryGetPartition(name, wanted.Partition, out var partition) || !partition.IsLeader)
                {
                    data.ErrorCode = (short)(broker.Topics.PartitionExists(name, wanted.Partition)
                        ? ErrorCode.NotLeaderOrFollower : ErrorCode.UnknownTopicOrPartition);
                    hasError = true;
                    continue;
                }
                var error = CheckEpoch(wanted.CurrentLeaderEpoch, partition);
                if (error == ErrorCode.None)
                {
                    // The follower's fetch offset is its log end offset: counted once, when the request arrives.
                    if (replicaId >= 0 && firstPass) partition.Actor.Tell(new PartitionMessage.FollowerFetched(replicaId, wanted.FetchOffset, incarnation));
                    waits.Add(partition.NextAppend);
                    int limit = (int)Math.Min(wanted.PartitionMaxBytes, Math.Max(maxBytes - total, 0));
                    error = Read(partition, wanted.FetchOffset, limit, minOneBatch: total == 0, data, reads, out int read,
                        fromFollower: replicaId >= 0);
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
        ReadBuffers reads, out int read, bool fromFollower)
    {
        read = 0;
        long highWatermark = partition.HighWatermark;
        var log = partition.Log;
        data.HighWatermark = highWatermark;
        data.LastStableOffset = highWatermark;
        data.LogStartOffset = log.LogStartOffset;
        if (offset < log.LogStartOffset || offset > log.LogEndOffset) return ErrorCode.OffsetOutOfRange;
        // Followers replicate everything written; consumers see only what is committed.
        long bound = fromFollower ? log.LogEndOffset : highWatermark;
        if (offset >= bound || (limit <= 0 && !minOneBatch)) return ErrorCode.None;
        var result = log.Read(offset, limit, bound, minOneBatch);
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
