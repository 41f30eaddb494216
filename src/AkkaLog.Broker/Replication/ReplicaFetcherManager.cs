using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Partitions;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Replication;

/// <summary>
/// One <see cref="ReplicaFetcher"/> per leader broker this broker follows partitions of; moves a
/// partition between fetchers when its leader changes and drops fetchers left with nothing to do.
/// Called by the replica manager under its apply lock (one caller at a time).
/// </summary>
internal sealed class ReplicaFetcherManager(ReplicaFetcherSettings settings, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly Dictionary<int, ReplicaFetcher> _fetchers = [];
    private readonly Dictionary<TopicPartition, int> _leaderOf = [];

    /// <summary>Fetch <paramref name="partition"/> from <paramref name="leader"/> under <paramref name="leaderEpoch"/>.</summary>
    public async Task AddAsync(Partition partition, BrokerNode leader, int leaderEpoch)
    {
        if (_leaderOf.TryGetValue(partition.Id, out int previous) && previous != leader.NodeId) await RemoveAsync(partition.Id);
        if (_fetchers.TryGetValue(leader.NodeId, out var fetcher) && fetcher.Leader != leader)
        {
            // The leader came back on another address: a new fetcher. The replica manager adds every
            // followed partition on each pass, so the others move over in the same pass.
            _fetchers.Remove(leader.NodeId);
            await fetcher.DisposeAsync();
            foreach (var tp in _leaderOf.Where(kv => kv.Value == leader.NodeId).Select(kv => kv.Key).ToList()) _leaderOf.Remove(tp);
        }
        if (!_fetchers.TryGetValue(leader.NodeId, out fetcher)) fetcher = Create(leader);
        fetcher.Add(partition, leaderEpoch);
        _leaderOf[partition.Id] = leader.NodeId;
    }

    /// <summary>Stops fetching <paramref name="id"/>.</summary>
    public async Task RemoveAsync(TopicPartition id)
    {
        if (!_leaderOf.Remove(id, out int leader) || !_fetchers.TryGetValue(leader, out var fetcher)) return;
        fetcher.Remove(id);
        if (fetcher.Count == 0)
        {
            _fetchers.Remove(leader);
            await fetcher.DisposeAsync();
        }
    }

    /// <summary>The leader a partition is fetched from, or -1.</summary>
    public int LeaderOf(TopicPartition id) => _leaderOf.TryGetValue(id, out int leader) ? leader : -1;

    private ReplicaFetcher Create(BrokerNode leader)
    {
        var fetcher = new ReplicaFetcher(leader, settings, loggers.CreateLogger<ReplicaFetcher>());
        _fetchers[leader.NodeId] = fetcher;
        return fetcher;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var fetcher in _fetchers.Values) await fetcher.DisposeAsync();
        _fetchers.Clear();
        _leaderOf.Clear();
    }
}
