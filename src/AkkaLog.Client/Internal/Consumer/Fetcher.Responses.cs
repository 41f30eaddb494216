using AkkaLog.Client.Internal.Network;
using System.Buffers.Binary;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Protocol.Records;

namespace AkkaLog.Client.Internal.Consumer;

internal sealed partial class Fetcher
{
    /// <summary>
    /// One Fetch to <paramref name="node"/> for <paramref name="targets"/>. Full requests only: session id 0
    /// and epoch -1 (KIP-227 sessions are not used), topics by name (so at most v12; v13+ names them by id).
    /// </summary>
    private async Task FetchAsync(int node, List<Target> targets)
    {
        try
        {
            var connection = await _core.Pool.GetAsync(node, _stop.Token).ConfigureAwait(false);
            short version = connection.Versions.Pick(ApiKey.Fetch);
            var request = new FetchRequest
            {
                ReplicaId = -1,
                MaxWaitMs = _settings.FetchMaxWaitMs,
                MinBytes = _settings.FetchMinBytes,
                MaxBytes = _settings.FetchMaxBytes,
                IsolationLevel = _settings.IsolationByte,
                SessionId = 0,
                SessionEpoch = -1,
                Topics = targets.GroupBy(t => t.State.Topic, StringComparer.Ordinal).Select(g => new FetchRequest.FetchTopic
                {
                    Topic = g.Key,
                    Partitions = g.Select(t => new FetchRequest.FetchPartition
                    {
                        Partition = t.State.Partition, FetchOffset = t.Offset, PartitionMaxBytes = _settings.MaxPartitionFetchBytes,
                        CurrentLeaderEpoch = -1, LogStartOffset = -1,
                    }).ToList(),
                }).ToList(),
            };
            // The broker may hold the request for fetch.max.wait.ms before it even starts to answer.
            var timeout = _settings.RequestTimeout + TimeSpan.FromMilliseconds(_settings.FetchMaxWaitMs);
            var (response, lease) = await connection.SendFetchAsync(request, version, timeout, _stop.Token).ConfigureAwait(false);
            try
            {
                Handle(targets, response, lease);
            }
            finally
            {
                lease.Release();
            }
        }
        catch (KafkaException e)
        {
            Failed(targets, e);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException) when (_stop.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_table.Sync)
            {
                foreach (var t in targets) t.State.InFlight = false;
                _busyNodes.Remove(node);
            }
            _table.FetcherWake.Set();
        }
    }

    /// <summary>Hands each partition's records on; every <see cref="CompletedFetch"/> takes its own reference to the frame.</summary>
    private void Handle(List<Target> targets, FetchResponse response, FrameLease lease)
    {
        var topLevel = Error.FromWire(response.ErrorCode, null);
        if (topLevel.IsError)
        {
            Failed(targets, new KafkaException(topLevel.Code, $"Fetch failed: {topLevel.Reason}"));
            return;
        }
        var byPartition = new Dictionary<(string, int), FetchResponse.PartitionData>();
        foreach (var topic in response.Responses)
            foreach (var p in topic.Partitions)
                byPartition[(topic.Topic, p.PartitionIndex)] = p;

        bool wakeConsumer = false, refresh = false;
        long now = Environment.TickCount64;
        lock (_table.Sync)
        {
            foreach (var t in targets)
            {
                var s = t.State;
                if (t.IsStale || !byPartition.TryGetValue((s.Topic, s.Partition), out var data)) continue;
                var error = ErrorCodes.Normalize(data.ErrorCode);
                if (data.HighWatermark >= 0) s.HighWatermark = data.HighWatermark;
                if (data.LastStableOffset >= 0) s.LastStableOffset = data.LastStableOffset;
                if (data.LogStartOffset >= 0) s.LogStartOffset = data.LogStartOffset;
                switch (error)
                {
                    case ErrorCode.None:
                        var records = data.Records ?? ReadOnlyMemory<byte>.Empty;
                        int complete = CompleteBatches(records.Span, out long nextOffset);
                        if (complete > 0 && nextOffset > t.Offset)
                        {
                            _table.AddReadyLocked(new CompletedFetch(s, t.Epoch, records[..complete], _settings.CheckCrcs,
                                _settings.IsolationLevel == IsolationLevel.ReadCommitted, data.AbortedTransactions, lease.AddReference()));
                            s.FetchOffset = nextOffset;
                            wakeConsumer = true;
                        }
                        else if (records.Length > 0 && complete == 0)
                        {
                            // Only a broker without KIP-74 (pre-0.10.1) cuts a batch larger than the limit.
                            _table.FailLocked(s, new KafkaException(ErrorCode.MessageTooLarge,
                                $"{s.TopicPartition} at offset {t.Offset}: a batch is larger than max.partition.fetch.bytes ({_settings.MaxPartitionFetchBytes})"));
                            wakeConsumer = true;
                        }
                        else if (_settings.EnablePartitionEof && t.Offset >= s.HighWatermark)
                        {
                            wakeConsumer = true;
                        }
                        break;
                    case ErrorCode.OffsetOutOfRange:
                        // Only when nothing is buffered ahead: otherwise a later fetch from the new end meets it again.
                        if (s.Buffered == 0 && s.FetchOffset == t.Offset)
                        {
                            s.Epoch++;
                            s.Source = _settings.ResetSource;
                            s.Position = -1;
                            if (s.Source == PositionSource.None)
                            {
                                _table.FailLocked(s, NoOffset(s, $"fetch offset {t.Offset} is out of range (log {s.LogStartOffset}..{s.HighWatermark})"));
                                wakeConsumer = true;
                            }
                        }
                        break;
                    default:
                        if (OffsetLookup.IsStaleMetadata(error)) refresh = true;
                        if (ErrorCodes.IsRetriable(error))
                        {
                            s.RetryAtTicks = now + RetryDelayMs();
                            break;
                        }
                        _table.FailLocked(s, new KafkaException(error, $"fetching {s.TopicPartition} at offset {t.Offset}: {Error.Describe(error)}"));
                        wakeConsumer = true;
                        break;
                }
            }
        }
        if (refresh) _core.Metadata.RequestRefresh();
        if (wakeConsumer) _table.ConsumerWake.Set();
    }

    /// <summary>
    /// The length of the whole batches at the start of <paramref name="records"/> (a response may end
    /// with a partial one when a size limit cut it) and the offset after the last of them.
    /// </summary>
    internal static int CompleteBatches(ReadOnlySpan<byte> records, out long nextOffset)
    {
        nextOffset = -1;
        int at = 0;
        while (records.Length - at >= RecordBatchHeader.Size)
        {
            var (baseOffset, batchLength) = RecordBatchHeader.ReadLogEntryPrefix(records[at..]);
            long size = (long)batchLength + RecordBatchHeader.LogOverhead;
            if (size < RecordBatchHeader.Size || size > records.Length - at) break;
            nextOffset = baseOffset + BinaryPrimitives.ReadInt32BigEndian(records[(at + RecordBatchHeader.LastOffsetDeltaAt)..]) + 1;
            at += (int)size;
        }
        return at;
    }
}
