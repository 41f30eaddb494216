using System.Runtime.InteropServices;
using AkkaLog.Broker.Network;
using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Protocol.Records;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Handlers;

/// <summary>
/// Produce (key 0), v3+ (record batch v2 only). Each partition's records are validated (framing,
/// magic, CRC-32C, codec, record count, max.message.bytes, keys on compacted topics) and handed
/// to the partition's actor. The appends are enqueued before the first await, so requests on a
/// connection reach each partition in the order they were sent. Only the partition's leader
/// accepts writes: a broker that is not leader answers NOT_LEADER_OR_FOLLOWER so the client
/// refreshes its metadata. acks=0 gets no response (the client expects none); acks=1 answers once
/// the leader's log has the batch; acks=all (-1) first needs min.insync.replicas in the ISR
/// (else NOT_ENOUGH_REPLICAS, nothing written) and answers once the high watermark passes the batch,
/// i.e. every in-sync replica has it, or REQUEST_TIMED_OUT after the request's timeout. Batches are
/// appended as sent: no recompression.
/// </summary>
public sealed class ProduceHandler(BrokerServices broker, ILogger<ProduceHandler> logger) : RequestHandler<ProduceRequest>
{
    /// <inheritdoc />
    public override ApiKey ApiKey => ApiKey.Produce;
    /// <inheritdoc />
    public override short MinVersion => 3;
    /// <inheritdoc />
    public override short MaxVersion => 11;

    /// <inheritdoc />
    protected override ValueTask<HandlerResult> HandleAsync(RequestContext context, ProduceRequest request, CancellationToken cancellationToken)
    {
        var response = new ProduceResponse();
        var waits = new List<(ProduceResponse.PartitionProduceResponse Slot, Partition Partition, Task<AppendOutcome> Append)>();
        bool validAcks = request.Acks is 0 or 1 or -1;
        foreach (var topic in request.TopicData)
        {
            var topicResponse = new ProduceResponse.TopicProduceResponse { Name = topic.Name };
            response.Responses.Add(topicResponse);
            foreach (var data in topic.PartitionData)
            {
                var slot = new ProduceResponse.PartitionProduceResponse { Index = data.Index, BaseOffset = -1, LogAppendTimeMs = -1, LogStartOffset = -1 };
                topicResponse.PartitionResponses.Add(slot);
                if (!validAcks)
                {
                    Fail(slot, topic.Name, ErrorCode.InvalidRequiredAcks, $"acks must be -1, 0 or 1, not {request.Acks}");
                    continue;
                }
                if (!broker.Replicas.TryGetPartition(topic.Name, data.Index, out var partition) || !partition.IsLeader)
                {
                    bool exists = broker.Topics.PartitionExists(topic.Name, data.Index);
                    Fail(slot, topic.Name, exists ? ErrorCode.NotLeaderOrFollower : ErrorCode.UnknownTopicOrPartition,
                        exists ? "This broker is not the leader of this partition." : "This server does not host this topic-partition.");
                    continue;
                }
                if (data.Records is not { Length: > 0 } records)
                {
                    Fail(slot, topic.Name, ErrorCode.CorruptMessage, "no record batch");
                    continue;
                }
                var (error, reason, idempotent) = Validate(records.Span, partition);
                if (error != ErrorCode.None)
                {
                    Fail(slot, topic.Name, error, reason);
                    continue;
                }
                var reply = new TaskCompletionSource<AppendOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (!partition.Actor.Tell(new PartitionMessage.Append(MemoryMarshal.AsMemory(records), reply, idempotent, request.Acks, request.TimeoutMs)))
                {
                    Fail(slot, topic.Name, ErrorCode.NotLeaderOrFollower, "partition is shutting down");
                    continue;
                }
                waits.Add((slot, partition, reply.Task));
            }
        }
        if (waits.Count == 0) return ValueTask.FromResult(request.Acks == 0 ? HandlerResult.None : HandlerResult.Of(response));
        return CompleteAsync(response, waits, request.Acks == 0);
    }

    private static async ValueTask<HandlerResult> CompleteAsync(ProduceResponse response,
        List<(ProduceResponse.PartitionProduceResponse Slot, Partition Partition, Task<AppendOutcome> Append)> waits, bool noResponse)
    {
        foreach (var (slot, partition, append) in waits)
        {
            var outcome = await append;
            slot.ErrorCode = (short)outcome.Error;
            if (outcome.Info is { } info)
            {
                slot.BaseOffset = info.FirstOffset;
                slot.LogAppendTimeMs = info.LogAppendTime;
                slot.LogStartOffset = partition.Log.LogStartOffset;
            }
        }
        return noResponse ? HandlerResult.None : HandlerResult.Of(response);
    }

    /// <summary>
    /// Walks every batch in the records blob; returns the first problem, if any, and whether a batch
    /// comes from an idempotent producer (so the partition actor skips sequence checks otherwise).
    /// </summary>
    private static (ErrorCode Error, string? Reason, bool Idempotent) Validate(ReadOnlySpan<byte> records, Partition partition)
    {
        var settings = partition.Settings;
        var limits = new RecordBatchLimits
        {
            MaxBatchBytes = settings.MaxMessageBytes,
            FromProducer = true,
            ValidateRecords = true,
            RequireKeys = settings.Compact,
        };
        bool idempotent = false;
        while (!records.IsEmpty)
        {
            var error = RecordBatchValidator.ValidateBatch(records, limits, out var header);
            if (error != BatchValidationError.None) return (Map(error), Describe(error, header, settings.MaxMessageBytes), false);
            idempotent |= header.ProducerId >= 0;
            records = records[header.TotalSize..];
        }
        return (ErrorCode.None, null, idempotent);
    }

    private static ErrorCode Map(BatchValidationError error) => error switch
    {
        BatchValidationError.TooLarge => ErrorCode.MessageTooLarge,
        BatchValidationError.CorruptCrc or BatchValidationError.Truncated or BatchValidationError.CorruptRecords => ErrorCode.CorruptMessage,
        BatchValidationError.UnsupportedCompression => ErrorCode.UnsupportedCompressionType,
        BatchValidationError.UnsupportedMagic => ErrorCode.UnsupportedForMessageFormat,
        _ => ErrorCode.InvalidRecord,
    };

    private static string Describe(BatchValidationError error, in RecordBatchHeader header, int maxBytes) => error switch
    {
        BatchValidationError.TooLarge => $"batch of {header.TotalSize} bytes exceeds max.message.bytes ({maxBytes})",
        BatchValidationError.CorruptCrc => "record batch CRC does not match its contents",
        BatchValidationError.Truncated => "record batch is truncated",
        BatchValidationError.CorruptRecords => "records inside the batch do not parse",
        BatchValidationError.UnsupportedCompression => $"unknown compression codec {(int)header.Compression}",
        BatchValidationError.UnsupportedMagic => "only record batch v2 (magic 2) is supported",
        BatchValidationError.MissingKey => "compacted topics require keys",
        BatchValidationError.InvalidAttributes => "producers may not send control or LogAppendTime batches",
        _ => "record count does not match lastOffsetDelta",
    };

    private void Fail(ProduceResponse.PartitionProduceResponse slot, string topic, ErrorCode error, string? reason)
    {
        slot.ErrorCode = (short)error;
        slot.ErrorMessage = reason;
        BrokerLog.ProduceRejected(logger, topic, slot.Index, error, reason ?? "");
    }
}
