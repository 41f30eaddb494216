using System.Text.Json;
using AkkaLog.Broker.Cluster.Etcd;
using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Metadata;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Cluster;

public sealed partial class EtcdMetadataStore
{
    private long _lease;
    private BrokerNode? _self;
    private Task? _keepAliveLoop;

    /// <summary>The lease this broker is registered under (0 before registration).</summary>
    public long Lease => Volatile.Read(ref _lease);

    /// <inheritdoc />
    /// <remarks>
    /// After a crash the previous incarnation's key lives until its lease expires, so registration
    /// waits (up to three session timeouts) for the id to become free rather than failing at once;
    /// a live broker with the same id keeps renewing, so the wait ends in a clear error.
    /// </remarks>
    public async ValueTask RegisterBrokerAsync(BrokerNode self, CancellationToken cancellationToken)
    {
        _self = self;
        await RegisterAsync(TimeSpan.FromSeconds(3 * _ttlSeconds + 5), cancellationToken);
        _keepAliveLoop = Task.Run(KeepAliveLoopAsync, CancellationToken.None);
    }

    private async Task RegisterAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var self = _self!;
        string key = BrokerKey(self.NodeId);
        var value = JsonSerializer.SerializeToUtf8Bytes(BrokerRecord.From(self), EtcdJsonContext.Default.BrokerRecord);
        var deadline = DateTime.UtcNow + patience;
        bool waited = false;
        long lease = 0;
        while (true)
        {
            try
            {
                // Lease calls get the short per-endpoint bound: a stalled endpoint must not eat the new lease's TTL.
                if (lease == 0) lease = await _etcd.GrantLeaseAsync(_ttlSeconds, cancellationToken, _leaseTiming.AttemptTimeout);
                var result = await _etcd.TxnAsync([EtcdCompare.Absent(key)], [new EtcdOp.Put(key, value, lease)], [new EtcdOp.Get(key)],
                    cancellationToken, _leaseTiming.AttemptTimeout);
                // A retried registration whose first attempt landed (its answer was lost) finds its own key.
                bool ours = !result.Succeeded && result.Ranges is [[var existing, ..], ..] && existing.Lease == lease;
                if (result.Succeeded || ours)
                {
                    Volatile.Write(ref _lease, lease);
                    await WaitForRevisionAsync(result.Revision, cancellationToken);
                    _logger.LogInformation("Registered broker {NodeId} ({Host}:{Port}) in etcd under lease {Lease:x} (TTL {Ttl} s)",
                        self.NodeId, self.Host, self.Port, lease, _ttlSeconds);
                    return;
                }
            }
            catch (EtcdException e) when (e.IsUnavailable || e.IsLeaseNotFound)
            {
                // Unreachable, or the new lease ran out while we waited: try again (with a fresh lease if it is gone).
                if (DateTime.UtcNow > deadline) throw;
                if (e.IsLeaseNotFound) lease = 0;
                _logger.LogWarning("Registering broker {NodeId} in etcd failed ({Reason}); retrying", self.NodeId, e.Message);
                await Task.Delay(_leaseTiming.RetryBackoff, cancellationToken);
                continue;
            }
            if (DateTime.UtcNow > deadline)
            {
                await _etcd.RevokeLeaseAsync(lease, CancellationToken.None);
                throw new InvalidOperationException(
                    $"broker id {self.NodeId} is registered in etcd by another live broker ({_prefix}brokers/{self.NodeId}); give this broker another node.id");
            }
            if (!waited) _logger.LogInformation("Broker id {NodeId} is still registered (a previous run?); waiting for its lease to expire", self.NodeId);
            waited = true;
            await Task.Delay(250, cancellationToken);
            // Keep our own lease alive while we wait for the old one to expire.
            try { if (await _etcd.KeepAliveOnceAsync(lease, _leaseTiming.AttemptTimeout, cancellationToken) == 0) lease = 0; }
            catch (EtcdException) { }
        }
    }

    /// <summary>
    /// Renews the lease every heartbeat. Each attempt is bounded per endpoint (see <see cref="LeaseTiming"/>) and a
    /// failed one is retried soon rather than a heartbeat later, so one stalled endpoint cannot let the lease expire.
    /// </summary>
    private async Task KeepAliveLoopAsync()
    {
        var token = _stop.Token;
        bool unreachable = false;
        var delay = _leaseTiming.Heartbeat;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, token);
                long ttl = await _etcd.KeepAliveOnceAsync(Volatile.Read(ref _lease), _leaseTiming.AttemptTimeout, token);
                delay = _leaseTiming.Heartbeat;
                if (unreachable) _logger.LogInformation("etcd reachable again; lease renewed");
                unreachable = false;
                if (ttl > 0) continue;
                _logger.LogWarning("Lease of broker {NodeId} expired: the cluster took it for dead; registering again", _nodeId);
                await RegisterAsync(TimeSpan.FromSeconds(3 * _ttlSeconds + 5), token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is EtcdException or HttpRequestException or IOException or InvalidOperationException)
            {
                if (!unreachable) _logger.LogWarning("Renewing the etcd lease failed ({Reason}); retrying", e.Message);
                unreachable = true;
                delay = _leaseTiming.RetryBackoff;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> TryBecomeControllerAsync(CancellationToken cancellationToken)
    {
        long lease = Volatile.Read(ref _lease);
        if (lease == 0) return false;
        var image = _current;
        if (image.ControllerId == _nodeId) return true;
        if (image.ControllerId != -1) return false;
        var value = JsonSerializer.SerializeToUtf8Bytes(new ControllerRecord(_nodeId), EtcdJsonContext.Default.ControllerRecord);
        var result = await _etcd.TxnAsync([EtcdCompare.Absent(ControllerKey)], [new EtcdOp.Put(ControllerKey, value, lease)], null, cancellationToken);
        if (!result.Succeeded) return false;
        await WaitForRevisionAsync(result.Revision, cancellationToken);
        _logger.LogInformation("Broker {NodeId} is the controller (term {Term})", _nodeId, result.Revision);
        return true;
    }
}
