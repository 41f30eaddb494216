using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Network;

/// <summary>
/// The client's connections: at most one per broker, dialled on first use and again after it dies,
/// each redial waiting out reconnect.backoff.ms (doubling per consecutive failure up to
/// reconnect.backoff.max.ms). Brokers are known by node id from metadata; bootstrap addresses get
/// ids -1, -2... until metadata names them, as in the Java client. Safe from any thread; the
/// producer's sender, the admin client and a consumer's fetcher all share this one type.
/// </summary>
internal sealed class ConnectionPool : IAsyncDisposable
{
    private readonly ConnectionSettings _settings;
    private readonly Dictionary<int, Node> _nodes = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly int[] _bootstrapIds;

    public ConnectionPool(ConnectionSettings settings, IReadOnlyList<BrokerAddress> bootstrap)
    {
        _settings = settings;
        _bootstrapIds = new int[bootstrap.Count];
        for (int i = 0; i < bootstrap.Count; i++)
        {
            _bootstrapIds[i] = -(i + 1);
            _nodes[-(i + 1)] = new Node(bootstrap[i]);
        }
    }

    /// <summary>Called when a connection to a node was established or lost (the sender wakes on it).</summary>
    public event Action? StateChanged;

    /// <summary>Records broker addresses from metadata; a broker whose address changed is redialled.</summary>
    public void UpdateBrokers(IReadOnlyDictionary<int, BrokerAddress> brokers)
    {
        List<BrokerConnection>? stale = null;
        lock (_nodes)
        {
            foreach (var (id, address) in brokers)
            {
                if (!_nodes.TryGetValue(id, out var node)) _nodes[id] = new Node(address);
                else if (node.Address != address)
                {
                    if (node.Connection is not null) (stale ??= new()).Add(node.Connection);
                    _nodes[id] = new Node(address);
                }
            }
        }
        if (stale is not null) foreach (var c in stale) _ = c.DisposeAsync();
    }

    /// <summary>The live connection to <paramref name="nodeId"/>, or null (without dialling).</summary>
    public BrokerConnection? TryGetLive(int nodeId)
    {
        lock (_nodes) return _nodes.TryGetValue(nodeId, out var n) && n.Connection is { IsAlive: true } c ? c : null;
    }

    /// <summary>
    /// True when <paramref name="nodeId"/> has a live connection or may be dialled now (not backing
    /// off); starts dialling in the background if needed, so a sender can poll without blocking.
    /// </summary>
    public bool IsReadyOrConnect(int nodeId)
    {
        if (TryGetLive(nodeId) is not null) return true;
        _ = GetAsync(nodeId, CancellationToken.None).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        return false;
    }

    /// <summary>The connection to <paramref name="nodeId"/>, dialling (after any backoff) if there is none.</summary>
    public Task<BrokerConnection> GetAsync(int nodeId, CancellationToken cancellationToken)
    {
        Task<BrokerConnection> connecting;
        lock (_nodes)
        {
            if (!_nodes.TryGetValue(nodeId, out var node))
                return Task.FromException<BrokerConnection>(new KafkaException(ErrorCode.LeaderNotAvailable,
                    $"broker {nodeId} is not in the metadata (yet)"));
            if (node.Connection is { IsAlive: true } live) return Task.FromResult(live);
            node.Connecting ??= ConnectAsync(nodeId, node);
            connecting = node.Connecting;
        }
        return cancellationToken.CanBeCanceled ? connecting.WaitAsync(cancellationToken) : connecting;
    }

    /// <summary>
    /// Some live connection (the least loaded), else the first broker that can be dialled: known
    /// brokers first, then the bootstrap list. For requests any broker can answer (Metadata...).
    /// </summary>
    public async Task<BrokerConnection> GetAnyAsync(CancellationToken cancellationToken)
    {
        List<int> candidates;
        lock (_nodes)
        {
            BrokerConnection? best = null;
            foreach (var n in _nodes.Values)
            {
                if (n.Connection is { IsAlive: true } c && (best is null || c.InFlight < best.InFlight)) best = c;
            }
            if (best is not null) return best;
            // Known brokers in random order spread load; bootstrap entries come last as a fallback.
            candidates = _nodes.Keys.Where(id => id >= 0).OrderBy(_ => Random.Shared.Next()).ToList();
            candidates.AddRange(_bootstrapIds);
            candidates.Sort((a, b) => NextAttempt(a).CompareTo(NextAttempt(b)));
        }
        Exception? last = null;
        foreach (int id in candidates)
        {
            try
            {
                return await GetAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (KafkaException e) when (e.IsRetriable)
            {
                last = e;
            }
        }
        throw new KafkaException(ErrorCode.NetworkException, $"no broker reachable: {last?.Message}", last);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _disposed.Cancel();
        List<BrokerConnection> all;
        lock (_nodes) all = _nodes.Values.Select(n => n.Connection).OfType<BrokerConnection>().ToList();
        foreach (var c in all) await c.DisposeAsync().ConfigureAwait(false);
    }

    private long NextAttempt(int id) => _nodes.TryGetValue(id, out var n) ? n.NextAttemptTicks : 0;

    private async Task<BrokerConnection> ConnectAsync(int nodeId, Node node)
    {
        // Run the dial outside the caller's lock, and never inline in GetAsync.
        await Task.Yield();
        try
        {
            long wait = node.NextAttemptTicks - Environment.TickCount64;
            if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(wait), _disposed.Token).ConfigureAwait(false);
            var connection = await BrokerConnection.ConnectAsync(node.Address, nodeId, _settings, _disposed.Token).ConfigureAwait(false);
            lock (_nodes)
            {
                node.Connection = connection;
                node.Failures = 0;
                node.Connecting = null;
            }
            _ = connection.Closed.ContinueWith(_ => OnClosed(node), TaskScheduler.Default);
            StateChanged?.Invoke();
            return connection;
        }
        catch (Exception e)
        {
            lock (_nodes)
            {
                node.Failures++;
                node.NextAttemptTicks = Environment.TickCount64
                    + (long)ConnectionSettings.Backoff(_settings.ReconnectBackoff, _settings.ReconnectBackoffMax, node.Failures).TotalMilliseconds;
                node.Connecting = null;
            }
            if (e is OperationCanceledException && _disposed.IsCancellationRequested)
                throw new ObjectDisposedException(nameof(ConnectionPool));
            throw;
        }
    }

    private void OnClosed(Node node)
    {
        lock (_nodes)
        {
            // Back off once after a drop too, so a broker that is restarting is not hammered.
            node.NextAttemptTicks = Environment.TickCount64 + (long)_settings.ReconnectBackoff.TotalMilliseconds;
        }
        StateChanged?.Invoke();
    }

    /// <summary>What the pool knows about one broker. Guarded by the pool's lock.</summary>
    private sealed class Node(BrokerAddress address)
    {
        public BrokerAddress Address { get; } = address;
        public BrokerConnection? Connection { get; set; }
        public Task<BrokerConnection>? Connecting { get; set; }
        public int Failures { get; set; }
        public long NextAttemptTicks { get; set; }
    }
}
