using AkkaLog.Client.Internal.Consumer.Assignors;
using AkkaLog.Client.Internal.Network;
using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Consumer.Group;

/// <summary>
/// The consumer's side of the classic group protocol for one group.id: membership while subscribed
/// (JoinGroup, SyncGroup, Heartbeat, LeaveGroup; <c>ConsumerCoordinator.Join.cs</c> and
/// <c>.Heartbeat.cs</c>) and offsets whenever a group.id is set (OffsetCommit, OffsetFetch;
/// <c>.Offsets.cs</c>). Membership runs as one background loop per subscription: rebalance when
/// needed, otherwise heartbeat every heartbeat.interval.ms. Partition hand-over runs on the consumer
/// thread through <see cref="IRebalanceListener"/>, and the loop keeps heartbeating while it waits.
/// The rebalance protocol is cooperative only when every configured assignor is (as in Java):
/// eager revokes everything before JoinGroup; cooperative keeps partitions through the rebalance,
/// revokes only those the new assignment moves away, then rejoins so they can be handed over.
/// Group requests go over a connection of their own (node id int.MaxValue - coordinator, as Java
/// does), so a JoinGroup held for seconds by the broker does not stall fetches on the same broker.
/// </summary>
internal sealed partial class ConsumerCoordinator : IAsyncDisposable
{
    private readonly ClientCore _core;
    private readonly ConsumerSettings _settings;
    private readonly IRebalanceListener _listener;
    private readonly IPartitionAssignor[] _assignors;
    private readonly RebalanceProtocol _protocol;
    private readonly object _lock = new();
    private readonly Signal _wake = new();
    private readonly Action _onMetadata;

    // Guarded by _lock.
    private string[] _topics = [];
    private string _memberId = "";
    private int _generation = -1;
    private bool _rejoin = true;
    private bool _lost;
    private Dictionary<string, int>? _partitionCounts;
    private CancellationTokenSource? _session;
    private Task? _loop;

    private long _lastHeartbeatTicks;
    private long _lastPollTicks = Environment.TickCount64;
    private volatile bool _pollExpired;

    public ConsumerCoordinator(ClientCore core, ConsumerSettings settings, IRebalanceListener listener)
    {
        _core = core;
        _settings = settings;
        _listener = listener;
        GroupId = settings.GroupId!;
        _assignors = settings.Assignors.Select(PartitionAssignors.Create).ToArray();
        _protocol = _assignors.All(a => a.Protocol == RebalanceProtocol.Cooperative) ? RebalanceProtocol.Cooperative : RebalanceProtocol.Eager;
        _onMetadata = OnMetadataUpdated;
        _core.Metadata.Updated += _onMetadata;
    }

    public string GroupId { get; }

    /// <summary>The member id (empty before the first JoinGroup answer and after leaving).</summary>
    public string MemberId
    {
        get { lock (_lock) return _memberId; }
    }

    /// <summary>The subscribed topics (empty when not subscribed).</summary>
    public IReadOnlyList<string> Topics
    {
        get { lock (_lock) return _topics; }
    }

    /// <summary>Sets the subscription and starts (or nudges) the membership loop; consumer thread.</summary>
    public void Subscribe(IReadOnlyList<string> topics)
    {
        foreach (var t in topics) _core.Metadata.Track(t);
        lock (_lock)
        {
            _topics = topics.ToArray();
            _rejoin = true;
            // A loop that ended on a fatal error is replaced: subscribing again is how the application retries.
            if (_loop is null || _loop.IsCompleted)
            {
                _session?.Dispose();
                _lastPollTicks = Environment.TickCount64;
                _session = new CancellationTokenSource();
                var token = _session.Token;
                _loop = Task.Run(() => RunAsync(token));
            }
        }
        _wake.Set();
    }

    /// <summary>True while subscribed (the membership loop runs).</summary>
    public bool IsSubscribed
    {
        get { lock (_lock) return _loop is not null; }
    }

    /// <summary>
    /// Stops the membership loop; work it posted to the consumer thread is abandoned. The member id and
    /// generation stay, so the caller can still commit (revoking) before <see cref="LeaveAsync"/>.
    /// </summary>
    public async Task StopLoopAsync()
    {
        CancellationTokenSource? session;
        Task? loop;
        lock (_lock)
        {
            session = _session;
            loop = _loop;
            _session = null;
            _loop = null;
            _topics = [];
        }
        session?.Cancel();
        if (loop is not null)
        {
            try { await loop.ConfigureAwait(false); } catch (Exception) { }
        }
        session?.Dispose();
    }

    /// <summary>
    /// Ends membership after <see cref="StopLoopAsync"/>: LeaveGroup when <paramref name="sendLeaveGroup"/>
    /// (dynamic members only: a static member keeps its place until session.timeout.ms, as in Java),
    /// then forgets member id and generation.
    /// </summary>
    public async Task LeaveAsync(bool sendLeaveGroup, string reason, CancellationToken cancellationToken)
    {
        if (sendLeaveGroup) await LeaveGroupAsync(reason, cancellationToken).ConfigureAwait(false);
        lock (_lock)
        {
            _memberId = "";
            _generation = -1;
            _rejoin = true;
            _lost = false;
            _partitionCounts = null;
        }
    }

    /// <summary>Called by every Consume: restarts membership after a max.poll.interval.ms expiry.</summary>
    public void OnPoll()
    {
        Volatile.Write(ref _lastPollTicks, Environment.TickCount64);
        if (_pollExpired)
        {
            _pollExpired = false;
            _wake.Set();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _core.Metadata.Updated -= _onMetadata;
        await StopLoopAsync().ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        int failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = _wake.Current;
            try
            {
                if (_pollExpired)
                {
                    await wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                bool rejoin;
                lock (_lock) rejoin = _rejoin || _generation < 0;
                if (rejoin)
                {
                    await RebalanceAsync(cancellationToken).ConfigureAwait(false);
                    failures = 0;
                    continue;
                }
                long now = Environment.TickCount64;
                if (now - Volatile.Read(ref _lastPollTicks) > _settings.MaxPollIntervalMs)
                {
                    await PollTimeoutAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }
                long due = Volatile.Read(ref _lastHeartbeatTicks) + _settings.HeartbeatIntervalMs;
                if (now < due)
                {
                    await Task.WhenAny(wake, Task.Delay(TimeSpan.FromMilliseconds(due - now), cancellationToken)).ConfigureAwait(false);
                    continue;
                }
                await HeartbeatAsync(cancellationToken).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (KafkaException e) when (IsFatal(e.Code))
            {
                _listener.Fatal(e);
                return;
            }
            catch (Exception e)
            {
                failures++;
                System.Diagnostics.Trace.TraceWarning($"akkalog consumer group '{GroupId}': {e.Message}");
                try
                {
                    await Task.Delay(ConnectionSettings.Backoff(_settings.RetryBackoff, _settings.RetryBackoffMax, failures), cancellationToken)
                        .ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// The connection for group requests: the coordinator's address under node id int.MaxValue - id, a
    /// connection separate from the one fetches use.
    /// </summary>
    private async Task<BrokerConnection> GroupConnectionAsync(CancellationToken cancellationToken)
    {
        var coordinator = await _core.FindCoordinatorAsync(GroupId, cancellationToken).ConfigureAwait(false);
        int id = int.MaxValue - coordinator.NodeId;
        _core.Pool.UpdateBrokers(new Dictionary<int, BrokerAddress> { [id] = coordinator.Address });
        return await _core.Pool.GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Maps a coordinator error: a moved or missing coordinator is forgotten, so the retry looks it up again.</summary>
    private KafkaException CoordinatorError(ErrorCode code, string what)
    {
        if (code is ErrorCode.NotCoordinator or ErrorCode.CoordinatorNotAvailable) _core.ForgetCoordinator(GroupId);
        return new KafkaException(code, $"{what} for group '{GroupId}': {Error.Describe(code)}");
    }

    /// <summary>Errors that end membership: retrying cannot fix them, the application must.</summary>
    private static bool IsFatal(ErrorCode code) => code is ErrorCode.FencedInstanceId or ErrorCode.GroupAuthorizationFailed
        or ErrorCode.InvalidSessionTimeout or ErrorCode.InconsistentGroupProtocol or ErrorCode.GroupMaxSizeReached or ErrorCode.InvalidGroupId
        or ErrorCode.UnsupportedVersion or ErrorCode.TopicAuthorizationFailed;

    /// <summary>Rejoin when the partition count of a topic the last assignment was based on changed (new partitions, a topic created).</summary>
    private void OnMetadataUpdated()
    {
        var metadata = _core.Metadata.Current;
        lock (_lock)
        {
            if (_partitionCounts is null || _rejoin) return;
            foreach (var (topic, count) in _partitionCounts)
            {
                if (metadata.Topics.TryGetValue(topic, out var info) && info.Error == ErrorCode.None && info.Partitions.Length != count)
                {
                    _rejoin = true;
                    break;
                }
            }
            if (!_rejoin) return;
        }
        _wake.Set();
    }
}
