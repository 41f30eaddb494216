using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;
using AkkaLog.Protocol.Messages;

namespace AkkaLog.Client.Internal.Metadata;

/// <summary>
/// Keeps <see cref="Current"/> metadata for the topics a client uses (<see cref="Track"/>): refreshed
/// every metadata.max.age.ms, and sooner when someone calls <see cref="RequestRefresh"/> after an
/// error that means the metadata is stale (NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION,
/// LEADER_NOT_AVAILABLE, a lost connection). Requested refreshes are at least retry.backoff.ms
/// apart, doubling while they fail, so a broken cluster is not flooded. Concurrent refreshes
/// coalesce into one request. Safe from any thread.
/// </summary>
internal sealed class MetadataManager : IAsyncDisposable
{
    private readonly ConnectionPool _pool;
    private readonly ConnectionSettings _settings;
    private readonly bool _allowAutoCreate;
    private readonly HashSet<string> _tracked = new(StringComparer.Ordinal);
    private readonly object _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private ClusterMetadata _current = ClusterMetadata.Empty;
    private Task<ClusterMetadata>? _refreshing;
    private TaskCompletionSource _updated = NewSignal();
    private TaskCompletionSource _wake = NewSignal();
    private bool _refreshRequested = true;
    private int _failures;
    private long _lastAttemptTicks;

    public MetadataManager(ConnectionPool pool, ConnectionSettings settings, bool allowAutoCreate)
    {
        _pool = pool;
        _settings = settings;
        _allowAutoCreate = allowAutoCreate;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The latest snapshot (never null; empty before the first response).</summary>
    public ClusterMetadata Current => Volatile.Read(ref _current);

    /// <summary>Raised after every successful refresh.</summary>
    public event Action? Updated;

    /// <summary>Starts following <paramref name="topic"/>; the first time, a refresh is requested.</summary>
    public void Track(string topic)
    {
        bool added;
        lock (_lock) added = _tracked.Add(topic);
        if (added) RequestRefresh();
    }

    /// <summary>Asks for a refresh as soon as the backoff allows; returns at once.</summary>
    public void RequestRefresh()
    {
        lock (_lock)
        {
            _refreshRequested = true;
            _wake.TrySetResult();
        }
    }

    /// <summary>
    /// Waits until <paramref name="topic"/> has partitions with known layout, refreshing as needed,
    /// for at most <paramref name="maxWait"/>. Throws <see cref="KafkaException"/> with the last error
    /// the broker gave (UNKNOWN_TOPIC_OR_PARTITION for a missing topic) when time runs out, or at once
    /// for a non-retriable topic error (e.g. INVALID_TOPIC_EXCEPTION).
    /// </summary>
    public async ValueTask<TopicInfo> WaitForTopicAsync(string topic, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        if (Current.Topics.TryGetValue(topic, out var known) && known.Error == ErrorCode.None && known.Partitions.Length > 0)
            return known;
        Track(topic);
        long deadline = Environment.TickCount64 + (long)maxWait.TotalMilliseconds;
        var last = ErrorCode.None;
        while (true)
        {
            Task updated;
            lock (_lock) updated = _updated.Task;
            if (Current.Topics.TryGetValue(topic, out var t))
            {
                if (t.Error == ErrorCode.None && t.Partitions.Length > 0) return t;
                last = t.Error == ErrorCode.None ? ErrorCode.LeaderNotAvailable : t.Error;
                if (!ErrorCodes.IsRetriable(last))
                    throw new KafkaException(last, $"topic '{topic}' cannot be used: {Error.Describe(last)}");
            }
            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                throw new KafkaException(last == ErrorCode.None ? ErrorCode.RequestTimedOut : last,
                    $"topic '{topic}' not present in metadata after {maxWait.TotalMilliseconds:0} ms"
                    + (last == ErrorCode.None ? "" : $" (last error {Error.Describe(last)})"));
            }
            RequestRefresh();
            try
            {
                await updated.WaitAsync(TimeSpan.FromMilliseconds(remaining), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Loop once more to report the last error.
            }
        }
    }

    /// <summary>
    /// Fetches metadata for <paramref name="topics"/> (null: every topic) from any broker and merges it
    /// into <see cref="Current"/>. For one-off questions (the admin client's describe and list).
    /// </summary>
    public async Task<MetadataResponse> FetchAsync(IReadOnlyCollection<string>? topics, bool allowAutoCreate,
        CancellationToken cancellationToken)
    {
        var connection = await _pool.GetAnyAsync(cancellationToken).ConfigureAwait(false);
        var request = new MetadataRequest
        {
            Topics = topics?.Select(n => new MetadataRequest.MetadataRequestTopic { Name = n }).ToList(),
            AllowAutoTopicCreation = allowAutoCreate,
        };
        var response = await connection.SendAsync<MetadataResponse>(request, cancellationToken).ConfigureAwait(false);
        Publish(Current.With(response, keepOthers: true));
        return response;
    }

    /// <summary>Refreshes the tracked topics now (joining a refresh already under way).</summary>
    public Task<ClusterMetadata> RefreshAsync()
    {
        lock (_lock)
        {
            return _refreshing ??= RunRefreshAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        lock (_lock) _wake.TrySetResult();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
    }

    private async Task<ClusterMetadata> RunRefreshAsync()
    {
        await Task.Yield();
        List<string> topics;
        lock (_lock)
        {
            topics = _tracked.ToList();
            _refreshRequested = false;
            _lastAttemptTicks = Environment.TickCount64;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(_settings.RequestTimeout + _settings.SetupTimeout);
            var connection = await _pool.GetAnyAsync(timeout.Token).ConfigureAwait(false);
            var request = new MetadataRequest
            {
                Topics = topics.Select(n => new MetadataRequest.MetadataRequestTopic { Name = n }).ToList(),
                AllowAutoTopicCreation = _allowAutoCreate,
            };
            var response = await connection.SendAsync<MetadataResponse>(request, timeout.Token).ConfigureAwait(false);
            var next = Current.With(response, keepOthers: false);
            lock (_lock) _failures = 0;
            Publish(next);
            return next;
        }
        catch (Exception) when (!_stop.IsCancellationRequested)
        {
            lock (_lock)
            {
                _failures++;
                _refreshRequested = true;
            }
            throw;
        }
        finally
        {
            lock (_lock) _refreshing = null;
        }
    }

    private void Publish(ClusterMetadata next)
    {
        _pool.UpdateBrokers(next.Brokers);
        Volatile.Write(ref _current, next);
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _updated;
            _updated = NewSignal();
        }
        previous.TrySetResult();
        Updated?.Invoke();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Task wake;
            long due;
            lock (_lock)
            {
                if (_wake.Task.IsCompleted) _wake = NewSignal();
                wake = _wake.Task;
                long backoff = (long)ConnectionSettings.Backoff(_settings.RetryBackoff, _settings.RetryBackoffMax, _failures + 1).TotalMilliseconds;
                due = _refreshRequested
                    ? _lastAttemptTicks + backoff
                    : Current.FetchedAtTicks + (long)_settings.MetadataMaxAge.TotalMilliseconds;
            }
            long wait = due - Environment.TickCount64;
            if (wait > 0)
            {
                await Task.WhenAny(wake, Task.Delay(TimeSpan.FromMilliseconds(Math.Min(wait, int.MaxValue)), _stop.Token))
                    .ConfigureAwait(false);
                continue;
            }
            try
            {
                await RefreshAsync().ConfigureAwait(false);
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                // Counted in _failures; the next attempt waits out the backoff.
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
