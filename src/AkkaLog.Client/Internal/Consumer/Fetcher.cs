using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Consumer;

/// <summary>
/// The consumer's background fetching. Each pass over the <see cref="PartitionTable"/> finds positions
/// that are not known yet (the group's committed offset via the coordinator, or ListOffsets for
/// earliest/latest) and sends one Fetch per leader for the partitions that may be fetched: known
/// position, not paused, no error, and fewer than <see cref="MaxBuffered"/> responses waiting for the
/// consumer thread. So while the application works through one response, the next is already on its
/// way: pipelining without unbounded buffering (at most MaxBuffered × max.partition.fetch.bytes per
/// partition). One Fetch per broker is in flight at a time, as in the Java client; a pass runs whenever
/// something changes (a response, a drained buffer, a seek, new metadata) and at least every second
/// while retries wait. Responses are handled in <c>Fetcher.Responses.cs</c>, position lookups in
/// <c>Fetcher.Positions.cs</c>.
/// </summary>
internal sealed partial class Fetcher : IAsyncDisposable
{
    /// <summary>Responses per partition that may wait for the consumer thread: one being read, one ready.</summary>
    public const int MaxBuffered = 2;

    private readonly ClientCore _core;
    private readonly PartitionTable _table;
    private readonly ConsumerSettings _settings;
    private readonly Func<IReadOnlyCollection<TopicPartition>, CancellationToken, Task<Dictionary<TopicPartition, long>>>? _committed;
    private readonly HashSet<int> _busyNodes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Action _onMetadata;
    private readonly Task _loop;

    /// <param name="core">Connections and metadata.</param>
    /// <param name="table">The assignment.</param>
    /// <param name="settings">Fetch settings.</param>
    /// <param name="committed">Reads the group's committed offsets (-1 for none); null without a group.id.</param>
    public Fetcher(ClientCore core, PartitionTable table, ConsumerSettings settings,
        Func<IReadOnlyCollection<TopicPartition>, CancellationToken, Task<Dictionary<TopicPartition, long>>>? committed)
    {
        _core = core;
        _table = table;
        _settings = settings;
        _committed = committed;
        _onMetadata = table.FetcherWake.Set;
        _core.Metadata.Updated += _onMetadata;
        _loop = Task.Run(LoopAsync);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _core.Metadata.Updated -= _onMetadata;
        _stop.Cancel();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var wake = _table.FetcherWake.Current;
            long next;
            try
            {
                next = RunOnce();
            }
            catch (Exception e)
            {
                // A bug here must not stop all fetching silently; keep going after a pause.
                System.Diagnostics.Trace.TraceError($"akkalog consumer fetcher: {e}");
                next = Environment.TickCount64 + 100;
            }
            long wait = Math.Clamp(next - Environment.TickCount64, 1, 1000);
            try
            {
                await wake.WaitAsync(TimeSpan.FromMilliseconds(wait), _stop.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: starts lookups and fetches; returns when the next retry is due (TickCount64).</summary>
    private long RunOnce()
    {
        long now = Environment.TickCount64;
        long next = long.MaxValue;
        var metadata = _core.Metadata.Current;
        List<Target>? committed = null;
        Dictionary<int, List<Target>>? lookups = null;
        Dictionary<int, List<Target>>? fetches = null;
        bool refresh = false, failed = false;
        lock (_table.Sync)
        {
            foreach (var s in _table.StatesLocked)
            {
                if (s.Removed || s.InFlight || s.Error is not null) continue;
                if (now < s.RetryAtTicks)
                {
                    next = Math.Min(next, s.RetryAtTicks);
                    continue;
                }
                if (s.Source == PositionSource.Committed && _committed is not null)
                {
                    s.InFlight = true;
                    (committed ??= new()).Add(new Target(s, s.Epoch, -1));
                    continue;
                }
                if (s.Source == PositionSource.Committed) s.Source = _settings.ResetSource;
                if (s.Source == PositionSource.None)
                {
                    _table.FailLocked(s, NoOffset(s, "it has no committed offset"));
                    failed = true;
                    continue;
                }
                if (s.Source == PositionSource.Known && !s.IsFetchable(now, MaxBuffered)) continue;
                int leader = metadata.LeaderOf(s.Topic, s.Partition);
                if (leader < 0)
                {
                    refresh = true;
                    s.RetryAtTicks = now + RetryDelayMs();
                    next = Math.Min(next, s.RetryAtTicks);
                    continue;
                }
                if (s.Source != PositionSource.Known)
                {
                    s.InFlight = true;
                    long timestamp = s.Source == PositionSource.Earliest ? OffsetLookup.Earliest : OffsetLookup.Latest;
                    Add(lookups ??= new(), leader, new Target(s, s.Epoch, timestamp));
                    continue;
                }
                if (_busyNodes.Contains(leader)) continue;
                Add(fetches ??= new(), leader, new Target(s, s.Epoch, s.FetchOffset));
            }
            if (fetches is not null)
            {
                foreach (var (node, targets) in fetches)
                {
                    _busyNodes.Add(node);
                    foreach (var t in targets) t.State.InFlight = true;
                }
            }
        }
        if (refresh) _core.Metadata.RequestRefresh();
        if (failed) _table.ConsumerWake.Set();
        if (committed is not null) _ = ResolveCommittedAsync(committed);
        if (lookups is not null) foreach (var (node, targets) in lookups) _ = ResolveResetAsync(node, targets);
        if (fetches is not null) foreach (var (node, targets) in fetches) _ = FetchAsync(node, targets);
        return next;
    }

    private static void Add(Dictionary<int, List<Target>> byNode, int node, Target target)
    {
        if (!byNode.TryGetValue(node, out var list)) byNode[node] = list = new List<Target>();
        list.Add(target);
    }

    private long RetryDelayMs() => (long)ConnectionSettings.Backoff(_settings.RetryBackoff, _settings.RetryBackoffMax, 2).TotalMilliseconds;

    /// <summary>After a failed request for <paramref name="targets"/>: retry later, or fail them when the error is final.</summary>
    private void Failed(List<Target> targets, KafkaException error)
    {
        bool final = !error.IsRetriable && error.Code is not (ErrorCode.NetworkException or ErrorCode.RequestTimedOut);
        long retryAt = Environment.TickCount64 + RetryDelayMs();
        lock (_table.Sync)
        {
            foreach (var t in targets)
            {
                if (t.IsStale) continue;
                if (final) _table.FailLocked(t.State, error);
                else t.State.RetryAtTicks = retryAt;
            }
        }
        if (final) _table.ConsumerWake.Set();
        else _core.Metadata.RequestRefresh();
    }

    private static KafkaException NoOffset(PartitionState s, string why) =>
        new(ErrorCode.OffsetOutOfRange, $"{s.TopicPartition}: {why} and auto.offset.reset is none; Seek to a position to continue");

    /// <summary>A partition in one request, with the epoch it had when the request was planned (and the offset or timestamp asked).</summary>
    private readonly record struct Target(PartitionState State, int Epoch, long Offset)
    {
        public bool IsStale => State.Removed || State.Epoch != Epoch;
    }
}
