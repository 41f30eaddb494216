using System.Globalization;
using System.Text.Json;
using AkkaLog.Broker.Cluster.Etcd;
using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Metadata;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Cluster;

/// <summary>
/// The cluster metadata store on etcd. Everything lives under <c>/akkalog/&lt;cluster.id&gt;/</c>:
/// <c>brokers/&lt;id&gt;</c> (under the broker's lease: it disappears when the broker stops renewing),
/// <c>controller</c> (under the controller's lease, created only if absent: the election),
/// <c>topics/&lt;name&gt;</c> and <c>partitions/&lt;topic&gt;/&lt;p&gt;</c> (JSON). The store reads the
/// prefix once, then follows it with one watch; <see cref="Current"/> is rebuilt after every batch of
/// events. Writes are transactions: partition state changes compare the key's mod revision (the
/// state's <see cref="PartitionState.Version"/>), controller writes also compare the controller key's
/// create revision (its term), so a deposed controller cannot write. A write returns once the watch
/// has delivered it, so <see cref="Current"/> includes it.
/// <para>
/// When etcd is unreachable the broker keeps serving with the last image; the watch and the lease
/// keep-alive retry and resume from the last revision seen. If the lease expired meanwhile the broker
/// registers again under a new one. See Cluster/README.md.
/// </para>
/// </summary>
public sealed partial class EtcdMetadataStore : IMetadataStore
{
    private static readonly TimeSpan WriteVisibleTimeout = TimeSpan.FromSeconds(10);
    private readonly EtcdClient _etcd;
    private readonly string _prefix;
    private readonly string _clusterId;
    private readonly int _nodeId;
    private readonly long _ttlSeconds;
    private readonly LeaseTiming _leaseTiming;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TopicMetadata> _topics = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = [];
    private readonly Dictionary<int, BrokerNode> _brokers = [];
    private readonly List<(long Revision, TaskCompletionSource Done)> _waiters = [];
    private (int NodeId, long Epoch, long Lease) _controller = (-1, 0, 0);
    private long _appliedRevision;
    private volatile MetadataImage _current;
    private Task? _watchLoop;

    /// <summary>Creates a store for broker <paramref name="nodeId"/> of cluster <paramref name="clusterId"/>.</summary>
    public EtcdMetadataStore(EtcdClient etcd, string clusterId, int nodeId, TimeSpan sessionTimeout, TimeSpan heartbeat, ILogger logger)
    {
        _etcd = etcd;
        _clusterId = clusterId;
        _prefix = $"/akkalog/{clusterId}/";
        _nodeId = nodeId;
        _ttlSeconds = LeaseTiming.TtlSeconds(sessionTimeout);
        _leaseTiming = LeaseTiming.For(sessionTimeout, heartbeat);
        _logger = logger;
        _current = MetadataImage.Empty(clusterId);
    }

    /// <inheritdoc />
    public MetadataImage Current => _current;

    /// <inheritdoc />
    public event Action<MetadataImage>? Changed;

    /// <summary>The key prefix of this cluster.</summary>
    public string Prefix => _prefix;

    private string TopicKey(string topic) => $"{_prefix}topics/{topic}";
    private string PartitionKey(TopicPartition tp) => $"{_prefix}partitions/{tp.Topic}/{tp.Partition.ToString(CultureInfo.InvariantCulture)}";
    private string BrokerKey(int id) => $"{_prefix}brokers/{id.ToString(CultureInfo.InvariantCulture)}";
    private string ControllerKey => _prefix + "controller";

    /// <inheritdoc />
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await LoadAllAsync(cancellationToken);
                break;
            }
            catch (EtcdException e) when (e.IsUnavailable && DateTime.UtcNow < deadline)
            {
                _logger.LogWarning("etcd not reachable yet ({Reason}); retrying", e.Message);
                await Task.Delay(500, cancellationToken);
            }
        }
        _watchLoop = Task.Run(WatchLoopAsync, CancellationToken.None);
    }

    /// <summary>Reads everything again, as after a compacted watch (tests use it to force that path).</summary>
    internal Task ReloadAsync(CancellationToken cancellationToken) => LoadAllAsync(cancellationToken);

    private async Task LoadAllAsync(CancellationToken cancellationToken)
    {
        var all = await _etcd.RangeAsync(_prefix, prefix: true, cancellationToken);
        lock (_lock)
        {
            // A key that exists but cannot be decoded keeps what was known of it before: only a key that
            // is gone means its topic is gone (a reload must never pass an unreadable topic off as deleted).
            var before = new KnownState(new(_topics, StringComparer.Ordinal), new(_partitions), new(_brokers), _controller);
            _topics.Clear();
            _partitions.Clear();
            _brokers.Clear();
            _controller = (-1, 0, 0);
            foreach (var kv in all.Kvs)
                if (!ApplyPut(kv)) KeepPrevious(kv.Key, before);
            foreach (var stale in _unreadable.Keys.Where(k => !all.Kvs.Any(kv => kv.Key == k)).ToList()) _unreadable.Remove(stale);
            _appliedRevision = all.Revision;
        }
        Publish();
    }

    private async Task WatchLoopAsync()
    {
        var token = _stop.Token;
        bool reported = false;
        while (!token.IsCancellationRequested)
        {
            try
            {
                long from = Volatile.Read(ref _appliedRevision) + 1;
                await foreach (var batch in _etcd.WatchAsync(_prefix, from, token))
                {
                    if (reported)
                    {
                        _logger.LogInformation("Watching etcd again from revision {Revision}", from);
                        reported = false;
                    }
                    if (batch.Events.Count == 0) continue;
                    lock (_lock)
                    {
                        foreach (var e in batch.Events)
                        {
                            if (e.IsDelete) ApplyDelete(e.Kv.Key);
                            else ApplyPut(e.Kv);
                        }
                        _appliedRevision = Math.Max(_appliedRevision, batch.Revision);
                    }
                    Publish();
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (EtcdException e) when (!e.IsUnavailable)
            {
                // The revision we would resume from is gone (compacted): read everything again.
                _logger.LogWarning("etcd watch cancelled ({Reason}); reloading metadata", e.Message);
                try { await LoadAllAsync(token); }
                catch (Exception reload) when (reload is EtcdException or OperationCanceledException) { await Delay(token); }
            }
            catch (Exception e) when (e is EtcdException or HttpRequestException or IOException or JsonException)
            {
                if (!reported) _logger.LogWarning("etcd watch lost ({Reason}); retrying", e.Message);
                reported = true;
                await Delay(token);
            }
            catch (Exception e)
            {
                // Anything else (a bug, a value nobody foresaw) must not end the watch for good: this broker
                // would keep serving with metadata that never changes again.
                _logger.LogError(e, "Following etcd failed unexpectedly; resuming from revision {Revision}", Volatile.Read(ref _appliedRevision));
                await Delay(token);
            }
        }
    }

    private static async Task Delay(CancellationToken token)
    {
        try { await Task.Delay(250, token); }
        catch (OperationCanceledException) { }
    }

    private void ApplyDelete(string fullKey)
    {
        if (!fullKey.StartsWith(_prefix, StringComparison.Ordinal)) return;
        string key = fullKey[_prefix.Length..];
        _unreadable.Remove(fullKey);
        if (key.StartsWith("topics/", StringComparison.Ordinal)) _topics.Remove(key["topics/".Length..]);
        else if (TryParsePartitionKey(key, out var tp)) _partitions.Remove(tp);
        else if (key.StartsWith("brokers/", StringComparison.Ordinal)
                 && int.TryParse(key.AsSpan("brokers/".Length), NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            _brokers.Remove(id);
        else if (key == "controller") _controller = (-1, 0, 0);
    }

    private static bool TryParsePartitionKey(string key, out TopicPartition tp)
    {
        tp = default;
        if (!key.StartsWith("partitions/", StringComparison.Ordinal)) return false;
        int slash = key.LastIndexOf('/');
        if (slash <= "partitions/".Length) return false;
        if (!int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int p)) return false;
        tp = new TopicPartition(key["partitions/".Length..slash], p);
        return true;
    }

    private void Publish()
    {
        MetadataImage image;
        List<TaskCompletionSource> done = [];
        lock (_lock)
        {
            image = new MetadataImage(_clusterId, _topics.Values.ToList(),
                _partitions.Where(p => _topics.TryGetValue(p.Key.Topic, out var t) && p.Key.Partition < t.PartitionCount).ToList(), _brokers.Values.ToList(),
                _controller.NodeId, _controller.Epoch);
            _current = image;
            _waiters.RemoveAll(w =>
            {
                if (w.Revision > _appliedRevision) return false;
                done.Add(w.Done);
                return true;
            });
        }
        try { Changed?.Invoke(image); }
        catch (Exception e) { _logger.LogError(e, "A metadata listener failed"); }
        foreach (var d in done) d.TrySetResult();
    }

    /// <summary>Waits until the watch has applied <paramref name="revision"/> (bounded: etcd may vanish right after a write).</summary>
    private async Task WaitForRevisionAsync(long revision, CancellationToken cancellationToken)
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            if (_appliedRevision >= revision) return;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((revision, done));
        }
        await done.Task.WaitAsync(WriteVisibleTimeout, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryCreateTopicAsync(TopicMetadata topic, IReadOnlyList<PartitionState> partitions, CancellationToken cancellationToken)
    {
        // etcd allows 128 operations per transaction by default: the topic and its first partitions go
        // in one (created if absent), the rest follow; until then those partitions have no leader.
        const int MaxOps = 128;
        var first = new List<EtcdOp> { new EtcdOp.Put(TopicKey(topic.Name), Serialize(TopicRecord.From(topic))) };
        var rest = new List<EtcdOp>();
        for (int i = 0; i < partitions.Count; i++)
        {
            var op = new EtcdOp.Put(PartitionKey(new TopicPartition(topic.Name, i)), Serialize(partitions[i]));
            (first.Count < MaxOps ? first : rest).Add(op);
        }
        var result = await _etcd.TxnAsync([EtcdCompare.Absent(TopicKey(topic.Name))], first, null, cancellationToken);
        if (!result.Succeeded) return false;
        long revision = result.Revision;
        foreach (var chunk in rest.Chunk(MaxOps))
            revision = (await _etcd.TxnAsync([], chunk, null, cancellationToken)).Revision;
        await WaitForRevisionAsync(revision, cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryDeleteTopicAsync(string name, CancellationToken cancellationToken)
    {
        var existing = await _etcd.GetAsync(TopicKey(name), cancellationToken);
        if (existing is null) return false;
        var result = await _etcd.TxnAsync([EtcdCompare.ModifiedAt(TopicKey(name), existing.ModRevision)],
            [new EtcdOp.Delete(TopicKey(name)), new EtcdOp.Delete($"{_prefix}partitions/{name}/", Prefix: true)], null, cancellationToken);
        if (!result.Succeeded) return false;
        await WaitForRevisionAsync(result.Revision, cancellationToken);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask<TopicUpdateStatus> UpdateTopicAsync(string name, Func<TopicMetadata, TopicChange?> change, CancellationToken cancellationToken)
    {
        string key = TopicKey(name);
        for (int attempt = 1; attempt <= IMetadataStore.MaxTopicUpdateAttempts; attempt++)
        {
            // Read etcd itself, not the watched image (which may lag): the compare below must name the latest revision.
            var stored = await _etcd.GetAsync(key, cancellationToken);
            if (stored is null) return TopicUpdateStatus.NotFound;
            if (DecodeTopic(name, stored.Value, out var current) is { } problem)
                throw new InvalidDataException($"etcd key {key} cannot be decoded ({problem}); refusing to change topic '{name}'");
            if (change(current!) is not { } next) return TopicUpdateStatus.Declined;
            EmbeddedMetadataStore.EnsureSameTopic(current!, next.Topic);
            if (await TryWriteTopicAsync(key, stored.ModRevision, next, cancellationToken) is { } revision)
            {
                await WaitForRevisionAsync(revision, cancellationToken);
                return TopicUpdateStatus.Updated;
            }
            _logger.LogInformation("Topic {Topic} changed concurrently (attempt {Attempt}); applying the change again to the newer record", name, attempt);
            await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken); // spread contenders apart
        }
        _logger.LogWarning("Topic {Topic} kept changing concurrently; gave up after {Attempts} attempts", name, IMetadataStore.MaxTopicUpdateAttempts);
        return TopicUpdateStatus.Conflict;
    }

    /// <summary>
    /// Writes a topic change if the topic key is still at <paramref name="modRevision"/>; the store revision, or null if it
    /// moved. Added partition states go first, the topic (with its new count) last, so a reader never sees a partition
    /// without state; every transaction requires the topic unchanged. States of a lost attempt stay behind for partition
    /// numbers the topic does not have (images ignore them) until a later attempt writes them again.
    /// </summary>
    private async Task<long?> TryWriteTopicAsync(string key, long modRevision, TopicChange change, CancellationToken cancellationToken)
    {
        const int MaxOps = 128;
        var unchanged = EtcdCompare.ModifiedAt(key, modRevision);
        var partitionOps = change.AddedPartitions
            .Select(p => (EtcdOp)new EtcdOp.Put(PartitionKey(new TopicPartition(change.Topic.Name, p.Key)), Serialize(p.Value))).ToList();
        int beside = partitionOps.Count % (MaxOps - 1);
        if (beside == 0 && partitionOps.Count > 0) beside = MaxOps - 1;
        foreach (var chunk in partitionOps.Take(partitionOps.Count - beside).Chunk(MaxOps - 1))
            if (!(await _etcd.TxnAsync([unchanged], chunk, null, cancellationToken)).Succeeded) return null;
        var last = partitionOps.Skip(partitionOps.Count - beside).Append(new EtcdOp.Put(key, Serialize(TopicRecord.From(change.Topic))));
        var result = await _etcd.TxnAsync([unchanged], last, null, cancellationToken);
        return result.Succeeded ? result.Revision : null;
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryUpdatePartitionAsync(TopicPartition partition, PartitionState expected, PartitionState next, bool asController,
        CancellationToken cancellationToken)
    {
        var compares = new List<EtcdCompare> { EtcdCompare.ModifiedAt(PartitionKey(partition), expected.Version) };
        if (asController)
        {
            var image = _current;
            if (image.ControllerId != _nodeId) return false;
            compares.Add(EtcdCompare.CreatedAt(ControllerKey, image.ControllerEpoch));
        }
        var result = await _etcd.TxnAsync(compares, [new EtcdOp.Put(PartitionKey(partition), Serialize(next))], null, cancellationToken);
        if (!result.Succeeded) return false;
        await WaitForRevisionAsync(result.Revision, cancellationToken);
        return true;
    }

    private static byte[] Serialize(TopicRecord record) => JsonSerializer.SerializeToUtf8Bytes(record, EtcdJsonContext.Default.TopicRecord);
    private static byte[] Serialize(PartitionState state) => JsonSerializer.SerializeToUtf8Bytes(state, EtcdJsonContext.Default.PartitionState);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_keepAliveLoop is not null) await _keepAliveLoop.ConfigureAwait(false);
        if (_watchLoop is not null) await _watchLoop.ConfigureAwait(false);
        // Revoking the lease removes this broker (and its controllership) at once instead of after the TTL.
        long lease = Interlocked.Exchange(ref _lease, 0);
        if (lease != 0)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try { await _etcd.RevokeLeaseAsync(lease, cts.Token); }
            catch (Exception e) when (e is EtcdException or OperationCanceledException) { }
        }
        _etcd.Dispose();
        _stop.Dispose();
    }
}
