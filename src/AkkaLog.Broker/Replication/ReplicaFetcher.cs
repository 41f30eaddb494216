using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Partitions;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Replication;

/// <summary>
/// Replicates every partition this broker follows from one leader broker, over one connection, with
/// the Kafka protocol a Java broker uses: Fetch carrying this broker's replica id (so the leader reads
/// past its high watermark and counts the fetch offset as our log end offset), and before fetching a
/// partition under a new leader epoch, OffsetForLeaderEpoch to find where the logs diverge and
/// truncate there (KIP-101/279). Fetched batches are appended by the partition's actor, which
/// refuses them if the leader epoch moved on meanwhile. Errors that mean "the leader changed" park
/// the partition until the metadata says who leads now.
/// </summary>
internal sealed class ReplicaFetcher : IAsyncDisposable
{
    private const short FetchVersion = 12;
    private const short EpochVersion = 4;

    private sealed class Entry(Partition partition, int leaderEpoch)
    {
        public Partition Partition { get; } = partition;
        public int LeaderEpoch { get; } = leaderEpoch;
        public bool NeedsTruncation { get; set; } = true;
        public long DelayedUntilMs { get; set; }
    }

    private readonly Dictionary<TopicPartition, Entry> _entries = [];
    private readonly Lock _lock = new();
    private readonly ReplicaFetcherSettings _settings;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private BrokerChannel? _channel;

    public ReplicaFetcher(BrokerNode leader, ReplicaFetcherSettings settings, ILogger logger)
    {
        Leader = leader;
        _settings = settings;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The broker fetched from.</summary>
    public BrokerNode Leader { get; }

    /// <summary>Partitions fetched.</summary>
    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>Starts (or restarts, under a new epoch) fetching a partition; it is truncated against the leader first.</summary>
    public void Add(Partition partition, int leaderEpoch)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(partition.Id, out var existing) && existing.LeaderEpoch == leaderEpoch && ReferenceEquals(existing.Partition, partition))
                return;
            _entries[partition.Id] = new Entry(partition, leaderEpoch);
            _wake.TrySetResult();
        }
    }

    /// <summary>Stops fetching a partition.</summary>
    public void Remove(TopicPartition id)
    {
        lock (_lock) _entries.Remove(id);
    }

    private List<Entry> Snapshot()
    {
        lock (_lock) return [.. _entries.Values];
    }

    private bool IsCurrent(Entry entry)
    {
        lock (_lock) return _entries.TryGetValue(entry.Partition.Id, out var e) && ReferenceEquals(e, entry);
    }

    private static long NowMs => Environment.TickCount64;

    private async Task RunAsync()
    {
        var token = _stop.Token;
        bool reported = false;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var entries = Snapshot();
                if (entries.Count == 0)
                {
                    Task wake;
                    lock (_lock)
                    {
                        if (_wake.Task.IsCompleted) _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        wake = _wake.Task;
                    }
                    if (Count == 0) await Task.WhenAny(wake, Task.Delay(1000, token));
                    continue;
                }
                _channel ??= await BrokerChannel.ConnectAsync(Leader.Host, Leader.Port, $"akkalog-replica-{_settings.NodeId}",
                    TimeSpan.FromMilliseconds(_settings.SocketTimeoutMs), token);
                long now = NowMs;
                var truncating = entries.Where(e => e.NeedsTruncation && e.DelayedUntilMs <= now).ToList();
                if (truncating.Count > 0) await TruncateAsync(truncating, token);
                var fetchable = entries.Where(e => !e.NeedsTruncation && e.DelayedUntilMs <= NowMs).ToList();
                if (fetchable.Count == 0)
                {
                    await Task.Delay(Math.Min(_settings.BackoffMs, 100), token);
                    continue;
                }
                await FetchAsync(fetchable, token);
                if (reported) _logger.LogInformation("Replicating from broker {Leader} again", Leader.NodeId);
                reported = false;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (IOException e)
            {
                if (!reported) _logger.LogWarning("Fetching from broker {Leader} ({Host}:{Port}) failed: {Reason}", Leader.NodeId, Leader.Host, Leader.Port, e.Message);
                reported = true;
                await CloseChannelAsync();
                try { await Task.Delay(_settings.BackoffMs, token); } catch (OperationCanceledException) { break; }
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Replica fetcher for broker {Leader} failed; retrying", Leader.NodeId);
                await CloseChannelAsync();
                try { await Task.Delay(_settings.BackoffMs, token); } catch (OperationCanceledException) { break; }
            }
        }
        await CloseChannelAsync();
    }

    private async Task CloseChannelAsync()
    {
        if (_channel is not null) await _channel.DisposeAsync();
        _channel = null;
    }

    /// <summary>Asks the leader where our latest epoch ends on its log and truncates there.</summary>
    private async Task TruncateAsync(List<Entry> entries, CancellationToken token)
    {
        var request = new OffsetForLeaderEpochRequest { ReplicaId = _settings.NodeId };
        var asked = new Dictionary<TopicPartition, (Entry Entry, int Epoch)>();
        foreach (var e in entries)
        {
            int latest = e.Partition.Log.LeaderEpochs.LatestEpoch;
            if (latest < 0)
            {
                e.NeedsTruncation = e.Partition.Log.LogEndOffset > 0 && e.NeedsTruncation; // records without epochs: ask from offset 0 below
                if (!e.NeedsTruncation) continue;
            }
            asked[e.Partition.Id] = (e, latest);
            var topic = request.Topics.FirstOrDefault(t => t.Topic == e.Partition.Id.Topic);
            if (topic is null) request.Topics.Add(topic = new OffsetForLeaderEpochRequest.OffsetForLeaderTopic { Topic = e.Partition.Id.Topic });
            topic.Partitions.Add(new OffsetForLeaderEpochRequest.OffsetForLeaderPartition
            {
                Partition = e.Partition.Id.Partition, CurrentLeaderEpoch = e.LeaderEpoch, LeaderEpoch = Math.Max(latest, 0),
            });
        }
        if (asked.Count == 0) return;
        var response = await _channel!.SendAsync<OffsetForLeaderEpochResponse>(request, EpochVersion,
            TimeSpan.FromMilliseconds(_settings.SocketTimeoutMs), token);
        foreach (var topic in response.Topics)
        foreach (var result in topic.Partitions)
        {
            if (!asked.TryGetValue(new TopicPartition(topic.Topic, result.Partition), out var item) || !IsCurrent(item.Entry)) continue;
            var (entry, ourEpoch) = item;
            var error = (ErrorCode)result.ErrorCode;
            if (error != ErrorCode.None)
            {
                entry.DelayedUntilMs = NowMs + _settings.BackoffMs;
                continue;
            }
            var log = entry.Partition.Log;
            long leo = log.LogEndOffset;
            long target;
            if (result.LeaderEpoch < 0 || result.EndOffset < 0) target = Math.Min(entry.Partition.HighWatermark, leo);
            else if (result.LeaderEpoch == ourEpoch) target = Math.Min(result.EndOffset, leo);
            else
            {
                // The leader never had our latest epoch: keep what we share up to the end of its epoch.
                var (_, ourEnd) = log.LeaderEpochs.EndOffsetFor(result.LeaderEpoch, leo);
                target = Math.Min(result.EndOffset, ourEnd < 0 ? 0 : ourEnd);
                target = Math.Min(target, leo);
            }
            var truncated = await AskAsync(entry, reply => new PartitionMessage.Truncate(target, false, entry.LeaderEpoch, reply), token);
            if (truncated == ErrorCode.None) entry.NeedsTruncation = false;
            else entry.DelayedUntilMs = NowMs + _settings.BackoffMs;
        }
    }

    private async Task FetchAsync(List<Entry> entries, CancellationToken token)
    {
        var request = new FetchRequest
        {
            ReplicaId = _settings.NodeId,
            MaxWaitMs = _settings.MaxWaitMs,
            MinBytes = 1,
            MaxBytes = _settings.ResponseMaxBytes,
            IsolationLevel = 0,
            SessionId = 0,
            SessionEpoch = -1,
        };
        var byId = new Dictionary<TopicPartition, (Entry Entry, long Offset)>();
        foreach (var e in entries)
        {
            var log = e.Partition.Log;
            long offset = log.LogEndOffset;
            byId[e.Partition.Id] = (e, offset);
            var topic = request.Topics.FirstOrDefault(t => t.Topic == e.Partition.Id.Topic);
            if (topic is null) request.Topics.Add(topic = new FetchRequest.FetchTopic { Topic = e.Partition.Id.Topic });
            topic.Partitions.Add(new FetchRequest.FetchPartition
            {
                Partition = e.Partition.Id.Partition,
                CurrentLeaderEpoch = e.LeaderEpoch,
                FetchOffset = offset,
                LastFetchedEpoch = log.LeaderEpochs.LatestEpoch,
                LogStartOffset = log.LogStartOffset,
                PartitionMaxBytes = _settings.PartitionMaxBytes,
            });
        }
        var response = await _channel!.SendAsync<FetchResponse>(request, FetchVersion,
            TimeSpan.FromMilliseconds(_settings.MaxWaitMs + _settings.SocketTimeoutMs), token);
        foreach (var topic in response.Responses)
        foreach (var data in topic.Partitions)
        {
            if (!byId.TryGetValue(new TopicPartition(topic.Topic, data.PartitionIndex), out var item) || !IsCurrent(item.Entry)) continue;
            var entry = item.Entry;
            var error = (ErrorCode)data.ErrorCode;
            switch (error)
            {
                case ErrorCode.None:
                    var records = data.Records ?? ReadOnlyMemory<byte>.Empty;
                    var appended = await AskAsync(entry,
                        reply => new PartitionMessage.FollowerAppend(records, data.HighWatermark, data.LogStartOffset, entry.LeaderEpoch, reply), token);
                    // Out of range, or no (timely) answer from the actor: truncate against the leader again before going on.
                    if (appended is ErrorCode.OffsetOutOfRange or ErrorCode.RequestTimedOut) entry.NeedsTruncation = true;
                    // Back off on any failure, so a problem truncation does not fix cannot spin.
                    if (appended != ErrorCode.None) entry.DelayedUntilMs = NowMs + _settings.BackoffMs;
                    break;
                case ErrorCode.OffsetOutOfRange:
                    if (item.Offset < data.LogStartOffset)
                    {
                        if (await AskAsync(entry, reply => new PartitionMessage.Truncate(data.LogStartOffset, true, entry.LeaderEpoch, reply), token)
                            != ErrorCode.None)
                            entry.DelayedUntilMs = NowMs + _settings.BackoffMs;
                    }
                    else
                    {
                        entry.NeedsTruncation = true;
                        entry.DelayedUntilMs = NowMs + _settings.BackoffMs;
                    }
                    break;
                default:
                    // NOT_LEADER_OR_FOLLOWER, FENCED/UNKNOWN_LEADER_EPOCH, UNKNOWN_TOPIC_OR_PARTITION: the
                    // metadata will tell us about the new leader; until then, back off.
                    entry.DelayedUntilMs = NowMs + _settings.BackoffMs;
                    break;
            }
        }
    }

    /// <summary>
    /// Hands a message to the partition's actor and waits for its answer, at most replica.socket.timeout.ms: an actor that
    /// stopped, or failed on the message, or cannot answer in time gives an error (RequestTimedOut when there was no answer)
    /// instead of leaving this fetcher, and every partition it serves, waiting for ever.
    /// </summary>
    private async Task<ErrorCode> AskAsync(Entry entry, Func<TaskCompletionSource<ErrorCode>, PartitionMessage> message, CancellationToken token)
    {
        try
        {
            return await entry.Partition.Actor.Ask(message, TimeSpan.FromMilliseconds(_settings.SocketTimeoutMs), token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
        {
            _logger.LogWarning("{Partition}: the partition actor did not take fetched data ({Reason}); retrying after a truncation",
                entry.Partition.Id, e.Message);
            return ErrorCode.RequestTimedOut;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _loop; }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
