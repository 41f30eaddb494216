using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Producer;

internal sealed partial class Sender
{
    /// <summary>
    /// Sends one Produce request with <paramref name="batches"/> (one per partition) to <paramref name="node"/>
    /// and settles each batch from the response: done, back in its queue for a retry, or failed.
    /// </summary>
    private async Task SendAsync(int node, List<ProducerBatch> batches)
    {
        Interlocked.Increment(ref _inFlightRequests);
        try
        {
            var connection = _pool.TryGetLive(node);
            if (connection is null)
            {
                foreach (var b in batches) RetryOrFail(b, new Error(ErrorCode.NetworkException, $"connection to broker {node} was lost"), countAttempt: false);
                return;
            }
            var request = new ProduceRequest { Acks = _settings.Acks, TimeoutMs = _settings.RequestTimeoutMs };
            foreach (var group in batches.GroupBy(b => b.Topic, StringComparer.Ordinal))
            {
                var topic = new ProduceRequest.TopicProduceData { Name = group.Key };
                foreach (var b in group) topic.PartitionData.Add(new ProduceRequest.PartitionProduceData { Index = b.Partition, Records = b.Encoded });
                request.TopicData.Add(topic);
            }
            foreach (var b in batches) b.Attempts++;

            short version;
            try
            {
                version = connection.Versions.Pick(ApiKey.Produce);
            }
            catch (KafkaException e)
            {
                foreach (var b in batches) FailBatch(b, e.Error);
                return;
            }

            if (_settings.Acks == 0)
            {
                // acks=0: the broker never answers, so "written to the socket" is all we can know.
                await connection.SendWithoutResponseAsync(request, version, CancellationToken.None).ConfigureAwait(false);
                foreach (var b in batches) CompleteBatch(b, -1, -1, PersistenceStatus.PossiblyPersisted);
                return;
            }
            // Settled on the read loop in response order, so one partition's batches finish (and report) in offset order.
            var response = await connection.SendInOrderAsync<ProduceResponse>(request, version).ConfigureAwait(false);
            Settle(batches, response);
        }
        catch (KafkaException e)
        {
            // The connection failed or timed out: nothing is known about any batch, so all may retry.
            _metadata.RequestRefresh();
            foreach (var b in batches) RetryOrFail(b, e.Error, countAttempt: true);
        }
        catch (Exception e)
        {
            foreach (var b in batches) FailBatch(b, new Error(ErrorCode.UnknownServerError, $"produce failed: {e.Message}"));
        }
        finally
        {
            // Every batch is settled or back in its queue by now: its partition may send the next one.
            foreach (var b in batches) _accumulator.Answered(b);
            Interlocked.Decrement(ref _inFlightRequests);
            Wake();
        }
    }

    private void Settle(List<ProducerBatch> batches, ProduceResponse response)
    {
        var results = new Dictionary<(string, int), ProduceResponse.PartitionProduceResponse>();
        foreach (var t in response.Responses)
        {
            foreach (var p in t.PartitionResponses) results[(t.Name, p.Index)] = p;
        }
        foreach (var batch in batches)
        {
            if (!results.TryGetValue((batch.Topic, batch.Partition), out var result))
            {
                FailBatch(batch, new Error(ErrorCode.UnknownServerError, $"the broker's response has no result for {batch.Topic}-{batch.Partition}"));
                continue;
            }
            if (result.ErrorCode == 0)
            {
                CompleteBatch(batch, result.BaseOffset, result.LogAppendTimeMs, PersistenceStatus.Persisted);
                continue;
            }
            var error = Error.FromWire(result.ErrorCode, result.ErrorMessage);
            if (_settings.Idempotence is { } idempotence && SettleSequenceError(idempotence, batch, error)) continue;
            if (error.Code == ErrorCode.MessageTooLarge && batch.TrySplit() is { } halves)
            {
                // Too large as a whole: send it again in halves (records keep their completions and memory).
                _settings.Idempotence?.Abandoned(batch);
                _accumulator.ReplaceWithSplit(batch, halves.First, halves.Second);
                continue;
            }
            bool stale = IsStaleMetadata(error.Code);
            if (stale) _metadata.RequestRefresh();
            RetryOrFail(batch, error, countAttempt: true, awaitMetadata: stale);
        }
    }

    /// <summary>
    /// Requeues a batch after a retriable error while retries and delivery.timeout.ms allow, else fails it.
    /// Without idempotence, and with more than one request in flight, a retry may reorder a partition's
    /// batches, as in the Java client (with one, the partition waits; see <see cref="RecordAccumulator"/>). With
    /// <paramref name="awaitMetadata"/> the retry also waits for metadata newer than the error (as
    /// librdkafka does), so it reaches the new leader rather than bouncing off the old one.
    /// </summary>
    private void RetryOrFail(ProducerBatch batch, Error error, bool countAttempt, bool awaitMetadata = false, bool retriable = false)
    {
        long now = Environment.TickCount64;
        bool expired = now - batch.CreatedTicks >= _settings.DeliveryTimeoutMs;
        bool outOfRetries = countAttempt && batch.Attempts > _settings.Retries;
        if (!(retriable || error.IsRetriable) || expired || outOfRetries || _stop.IsCancellationRequested)
        {
            FailBatch(batch, error);
            return;
        }
        batch.LastError = error;
        batch.AwaitsMetadataAfterTicks = awaitMetadata ? now : 0;
        var backoff = Network.ConnectionSettings.Backoff(_settings.RetryBackoff, _settings.RetryBackoffMax, Math.Max(1, batch.Attempts));
        _accumulator.Requeue(batch, now + (long)backoff.TotalMilliseconds);
        // Only once it is back in its queue: a younger batch of the partition must not slip out ahead of it meanwhile.
        _settings.Idempotence?.Returned(batch);
    }

    /// <summary>Errors meaning our idea of who leads the partition is out of date.</summary>
    private static bool IsStaleMetadata(ErrorCode code) => code is ErrorCode.NotLeaderOrFollower or ErrorCode.UnknownTopicOrPartition
        or ErrorCode.LeaderNotAvailable or ErrorCode.FencedLeaderEpoch or ErrorCode.KafkaStorageError or ErrorCode.NotEnoughReplicas;
}
