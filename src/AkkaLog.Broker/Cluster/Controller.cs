using System.Threading.Channels;
using AkkaLog.Broker.Config;
using AkkaLog.Broker.Metadata;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Cluster;

/// <summary>
/// The cluster controller: every broker runs one, and the one that wins the election (the
/// <c>controller</c> key in etcd; always this broker on a single node) acts. On every metadata change
/// (and once a second, in case a write was lost) it reconciles each partition with
/// <see cref="PartitionElection"/>: a new leader from the live ISR when the leader's broker died or
/// restarted, dead brokers out of the ISR, reassignments completed once the new replicas caught up.
/// With auto.leader.rebalance.enable it moves leadership back to preferred replicas every
/// leader.imbalance.check.interval.seconds. Its writes are compare-and-swaps fenced by its term, so a
/// deposed controller changes nothing. Leaders change their own ISR; the controller never races them
/// blindly (a lost compare-and-swap is simply retried from the next image).
/// </summary>
public sealed class Controller : IAsyncDisposable
{
    private const int ParallelWrites = 16;
    private static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(1);
    private readonly BrokerConfig _config;
    private readonly IMetadataStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<bool> _kicks = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private bool _active;
    private long _nextRebalanceMs;

    /// <summary>Creates the controller of broker <c>config.NodeId</c>.</summary>
    public Controller(BrokerConfig config, IMetadataStore store, TimeProvider time, ILogger<Controller> logger)
    {
        _config = config;
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>True while this broker is the active controller.</summary>
    public bool IsActive => _store.Current.ControllerId == _config.NodeId;

    /// <summary>Tries the election once, then keeps following the metadata.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.TryBecomeControllerAsync(cancellationToken);
        _nextRebalanceMs = NowMs + _config.LeaderImbalanceCheckIntervalSeconds * 1000;
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Something changed: reconcile soon.</summary>
    public void Kick() => _kicks.Writer.TryWrite(true);

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                using (var tick = CancellationTokenSource.CreateLinkedTokenSource(token))
                {
                    tick.CancelAfter(ReconcileInterval);
                    try { await _kicks.Reader.ReadAsync(tick.Token); }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested) { }
                }
                var image = _store.Current;
                if (image.ControllerId == -1 && await _store.TryBecomeControllerAsync(token)) image = _store.Current;
                bool active = image.ControllerId == _config.NodeId;
                if (active != _active)
                {
                    _active = active;
                    if (active) _logger.LogInformation("Broker {NodeId} is now the active controller", _config.NodeId);
                }
                if (!active) continue;
                await ReconcileAsync(image, token);
                if (_config.AutoLeaderRebalance && NowMs >= _nextRebalanceMs)
                {
                    _nextRebalanceMs = NowMs + _config.LeaderImbalanceCheckIntervalSeconds * 1000;
                    await ElectPreferredAsync(null, token);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning("Controller pass failed ({Reason}); retrying", e.Message);
            }
        }
    }

    private static Dictionary<int, long> Live(MetadataImage image) => image.Brokers.ToDictionary(b => b.Key, b => b.Value.Incarnation);

    private async Task ReconcileAsync(MetadataImage image, CancellationToken token)
    {
        var live = Live(image);
        var unclean = new Dictionary<string, bool>(StringComparer.Ordinal);
        var changes = new List<(TopicPartition Tp, PartitionState State, PartitionState Next, ElectionReason Reason)>();
        foreach (var (tp, state) in image.Partitions)
        {
            if (!image.TopicsByName.TryGetValue(tp.Topic, out var topic)) continue;
            if (!unclean.TryGetValue(tp.Topic, out bool allowUnclean))
                unclean[tp.Topic] = allowUnclean = TopicSettings.Resolve(_config, topic.Configs).UncleanLeaderElection;
            var (reason, next) = PartitionElection.Decide(state, live, allowUnclean);
            if (next is not null) changes.Add((tp, state, next, reason));
        }
        await WriteAsync(changes, token);
    }

    private async Task<Dictionary<TopicPartition, bool>> WriteAsync(
        List<(TopicPartition Tp, PartitionState State, PartitionState Next, ElectionReason Reason)> changes, CancellationToken token)
    {
        var results = new Dictionary<TopicPartition, bool>();
        foreach (var chunk in changes.Chunk(ParallelWrites))
        {
            var written = await Task.WhenAll(chunk.Select(async c =>
                (c, ok: await _store.TryUpdatePartitionAsync(c.Tp, c.State, c.Next, asController: true, token))));
            foreach (var (c, ok) in written)
            {
                results[c.Tp] = ok;
                if (!ok) continue;
                if (c.Reason == ElectionReason.Offline)
                    _logger.LogWarning("{Partition} is offline: no live in-sync replica (isr [{Isr}])", c.Tp, string.Join(',', c.Next.Isr));
                else
                    _logger.LogInformation("{Partition}: {Reason}: {State}", c.Tp, c.Reason, c.Next);
            }
        }
        return results;
    }

    /// <summary>
    /// Preferred leader election (ElectLeaders, auto rebalance): moves leadership of the given partitions
    /// (all when null) to their preferred replica where it is live and in sync. Returns per partition
    /// None, ELECTION_NOT_NEEDED (already led by it) or PREFERRED_LEADER_NOT_AVAILABLE.
    /// </summary>
    public async Task<Dictionary<TopicPartition, Protocol.ErrorCode>> ElectPreferredAsync(IEnumerable<TopicPartition>? partitions, CancellationToken token)
    {
        var image = _store.Current;
        var live = Live(image);
        var results = new Dictionary<TopicPartition, Protocol.ErrorCode>();
        var changes = new List<(TopicPartition, PartitionState, PartitionState, ElectionReason)>();
        foreach (var tp in partitions ?? image.Partitions.Keys)
        {
            if (!image.Partitions.TryGetValue(tp, out var state))
            {
                results[tp] = Protocol.ErrorCode.UnknownTopicOrPartition;
                continue;
            }
            if (state.Leader == state.PreferredLeader)
            {
                results[tp] = Protocol.ErrorCode.ElectionNotNeeded;
                continue;
            }
            var next = PartitionElection.PreferredLeader(state, live);
            if (next is null) results[tp] = Protocol.ErrorCode.PreferredLeaderNotAvailable;
            else changes.Add((tp, state, next, ElectionReason.Preferred));
        }
        foreach (var (tp, ok) in await WriteAsync(changes, token))
            results[tp] = ok ? Protocol.ErrorCode.None : Protocol.ErrorCode.PreferredLeaderNotAvailable;
        return results;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
