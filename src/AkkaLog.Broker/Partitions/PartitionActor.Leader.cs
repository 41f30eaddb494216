using AkkaLog.Broker.Metadata;
using AkkaLog.Protocol;
using AkkaLog.Storage;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Broker.Partitions;

/// <summary>
/// The leader's side of replication (Kafka's Partition, leader half): followers' fetch offsets are
/// their log end offsets; the high watermark is the smallest log end offset in the ISR; a follower
/// caught up to the high watermark (in this leader epoch) rejoins the ISR, one not caught up for
/// replica.lag.time.max.ms leaves it. ISR changes are this leader's own compare-and-swap on the
/// partition state, one at a time; while one is pending the high watermark counts the union of the
/// old and the proposed ISR (KIP-841's "maximal ISR"), so a shrink cannot commit records that only
/// the shrunken ISR has, and an acks=all write is acknowledged only once every replica that could be
/// elected leader has it.
/// </summary>
internal sealed partial class PartitionActor
{
    private const string TickTimer = "replication";

    private sealed class FollowerProgress
    {
        public long Leo = -1;
        public long LastCaughtUpMs;
        public long LastFetchLeaderLeo = -1;
        public long LastFetchMs;
        public long Incarnation; // the follower's registration its fetches came from (0: unknown)
    }

    private readonly record struct PendingAck(long LastOffset, long DeadlineMs, PartitionMessage.Append Append, LogAppendInfo Info);

    private readonly Dictionary<int, FollowerProgress> _followers = [];
    private readonly List<PendingAck> _pendingAcks = [];
    private PartitionState? _state;
    private PartitionState? _pendingIsr;
    private long _epochStartOffset;
    private long _retryIsrAtMs;
    private const long IsrRetryMs = 1000;

    private long NowMs => TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
    private int SelfId => replication.NodeId;

    private void OnBecomeLeader(PartitionState state)
    {
        // An image older than the epoch we act on (two appliers raced) must not bring back an old term.
        if (_state is not null && state.LeaderEpoch < partition.LeaderEpoch) return;
        bool newTerm = !partition.IsLeader || state.LeaderEpoch != partition.LeaderEpoch;
        if (!newTerm && _state is not null && state.PartitionEpoch < _state.PartitionEpoch) return; // an older image
        _state = state;
        if (_pendingIsr is not null && state.PartitionEpoch >= _pendingIsr.PartitionEpoch) _pendingIsr = null;
        long now = NowMs;
        if (newTerm)
        {
            partition.LeaderEpoch = state.LeaderEpoch;
            _epochStartOffset = partition.Log.LogEndOffset;
            _followers.Clear();
            _pendingIsr = null;
            partition.IsLeader = true;
            if (state.Replicas.Length > 1)
                Logger.LogInformation("{Partition}: leader at epoch {Epoch} from offset {Offset}, isr [{Isr}]", partition.Id,
                    state.LeaderEpoch, _epochStartOffset, string.Join(',', state.Isr));
            replication.LeadershipChanged(partition, true);
        }
        // Track every other replica (a reassignment may have added some); ISR members get a grace period.
        foreach (int r in state.Replicas)
            if (r != SelfId && !_followers.ContainsKey(r)) _followers[r] = new FollowerProgress { LastCaughtUpMs = now };
        foreach (int gone in _followers.Keys.Where(r => !state.Replicas.Contains(r)).ToList()) _followers.Remove(gone);
        partition.Isr = MaximalIsr();
        MaybeAdvanceHighWatermark();
        CompleteAcks();
        UpdateTimer();
    }

    private void OnFollowerFetched(int replicaId, long fetchOffset, long incarnation)
    {
        if (!partition.IsLeader || !_followers.TryGetValue(replicaId, out var f)) return;
        long now = NowMs, leo = partition.Log.LogEndOffset;
        if (incarnation != 0 && incarnation != f.Incarnation)
        {
            // The follower restarted: what its earlier fetches said about its log no longer holds.
            if (f.Incarnation != 0) f.LastFetchLeaderLeo = -1;
            f.Incarnation = incarnation;
        }
        // Past our end means a diverged follower (it will get OFFSET_OUT_OF_RANGE and truncate): no progress.
        if (fetchOffset > leo) return;
        // Kafka's rule: caught up now if it fetched from our end; else caught up as of its previous
        // fetch if it has since reached what our end was then.
        if (fetchOffset >= leo) f.LastCaughtUpMs = now;
        else if (f.LastFetchLeaderLeo >= 0 && fetchOffset >= f.LastFetchLeaderLeo) f.LastCaughtUpMs = Math.Max(f.LastCaughtUpMs, f.LastFetchMs);
        f.LastFetchLeaderLeo = leo;
        f.LastFetchMs = now;
        f.Leo = fetchOffset;
        MaybeExpandIsr(replicaId, f);
        MaybeAdvanceHighWatermark();
    }

    private void AfterAppends()
    {
        MaybeAdvanceHighWatermark();
        CompleteAcks();
        partition.SignalAppend();
    }

    private int[] MaximalIsr()
    {
        if (_state is null) return [];
        return _pendingIsr is null ? _state.Isr : _state.Isr.Union(_pendingIsr.Isr).ToArray();
    }

    private void MaybeAdvanceHighWatermark()
    {
        if (!partition.IsLeader || _state is null) return;
        long hw = partition.Log.LogEndOffset;
        foreach (int r in MaximalIsr())
        {
            if (r == SelfId) continue;
            hw = _followers.TryGetValue(r, out var f) ? Math.Min(hw, f.Leo) : -1;
        }
        if (partition.AdvanceHighWatermark(hw))
        {
            CompleteAcks();
            partition.SignalAppend();
        }
    }

    private void AwaitCommit(PartitionMessage.Append append, LogAppendInfo info)
    {
        if (MaximalIsr() is [var only] && only == SelfId)
        {
            // The only in-sync replica (a single node, or followers all out of sync with min.insync.replicas 1):
            // committed as soon as it is written, no waiting list, no timer.
            partition.AdvanceHighWatermark(partition.Log.LogEndOffset);
            append.Reply.TrySetResult(new AppendOutcome(ErrorCode.None, info));
            return;
        }
        _pendingAcks.Add(new PendingAck(info.LastOffset, NowMs + Math.Max(append.TimeoutMs, 0), append, info));
        UpdateTimer();
    }

    private void CompleteAcks()
    {
        if (_pendingAcks.Count == 0) return;
        long hw = partition.HighWatermark;
        int minIsr = partition.Settings.MinInsyncReplicas;
        bool enough = _state is null || _state.Isr.Length >= minIsr;
        _pendingAcks.RemoveAll(p =>
        {
            if (p.LastOffset >= hw) return false;
            p.Append.Reply.TrySetResult(enough ? new AppendOutcome(ErrorCode.None, p.Info) : new AppendOutcome(ErrorCode.NotEnoughReplicasAfterAppend, null));
            return true;
        });
    }

    private void FailPendingAcks(ErrorCode error)
    {
        foreach (var p in _pendingAcks) p.Append.Reply.TrySetResult(new AppendOutcome(error, null));
        _pendingAcks.Clear();
    }

    private void OnTick()
    {
        if (!partition.IsLeader || _state is null)
        {
            CancelTimer(TickTimer);
            return;
        }
        long now = NowMs;
        if (_pendingAcks.Count > 0)
        {
            _pendingAcks.RemoveAll(p =>
            {
                if (p.DeadlineMs > now) return false;
                p.Append.Reply.TrySetResult(new AppendOutcome(ErrorCode.RequestTimedOut, null));
                return true;
            });
        }
        if (_pendingIsr is not null && _retryIsrAtMs > 0 && now >= _retryIsrAtMs)
        {
            // The last proposal's outcome is unknown: ask again (if it did land, this one fails and the image tells).
            Propose(_state with { Isr = _pendingIsr.Isr, IsrIncarnations = _pendingIsr.IsrIncarnations, PartitionEpoch = _state.PartitionEpoch + 1 });
        }
        if (_pendingIsr is null)
        {
            var lagging = _state.Isr.Where(r => r != SelfId && _followers.TryGetValue(r, out var f)
                                                   && now - f.LastCaughtUpMs > replication.ReplicaLagTimeMaxMs).ToArray();
            if (lagging.Length > 0)
            {
                Logger.LogWarning("{Partition}: shrinking ISR, replicas [{Lagging}] not caught up for {Ms} ms", partition.Id,
                    string.Join(',', lagging), replication.ReplicaLagTimeMaxMs);
                Propose(_state.WithIsr(_state.Isr.Where(r => !lagging.Contains(r)).ToArray()) with { PartitionEpoch = _state.PartitionEpoch + 1 });
            }
        }
        UpdateTimer();
    }

    private void MaybeExpandIsr(int replicaId, FollowerProgress f)
    {
        if (_pendingIsr is not null || _state is null) return;
        if (_state.Isr.Contains(replicaId) || !_state.Replicas.Contains(replicaId)) return;
        if (f.Leo < partition.HighWatermark || f.Leo < _epochStartOffset) return;
        Logger.LogInformation("{Partition}: replica {Replica} caught up at {Offset}; adding it to the ISR", partition.Id, replicaId, f.Leo);
        // Joins under the registration its fetches came from (KIP-903): if it restarts, the controller sees it and drops it.
        var joined = new Dictionary<int, long> { [replicaId] = f.Incarnation };
        Propose(_state.WithIsr([.. _state.Isr, replicaId], joined) with { PartitionEpoch = _state.PartitionEpoch + 1 });
    }

    /// <summary>Sends an ISR change to the store off the actor; the outcome comes back as a message.</summary>
    private void Propose(PartitionState next)
    {
        var expected = _state!;
        _pendingIsr = next;
        _retryIsrAtMs = 0;
        partition.Isr = MaximalIsr();
        var self = Self;
        var store = replication.Store;
        var tp = partition.Id;
        var logger = Logger;
        _ = Task.Run(async () =>
        {
            bool ok = false;
            try { ok = await store.TryUpdatePartitionAsync(tp, expected, next, asController: false, CancellationToken.None); }
            catch (Exception e) { logger.LogWarning("{Partition}: ISR change failed: {Reason}", tp, e.Message); }
            self.Tell(new PartitionMessage.IsrChangeCompleted(next, ok, store.Current.PartitionStateOf(tp.Topic, tp.Partition)));
        });
    }

    private void OnIsrChangeCompleted(PartitionMessage.IsrChangeCompleted completed)
    {
        if (!ReferenceEquals(_pendingIsr, completed.Proposed)) return;
        if (completed.Latest is { } latest && latest.PartitionEpoch >= completed.Proposed.PartitionEpoch)
        {
            // The store already shows the outcome, ours or a competing write.
            _pendingIsr = null;
            if (latest.Leader == SelfId && latest.LeaderEpoch == partition.LeaderEpoch) OnBecomeLeader(latest);
        }
        else if (!completed.Succeeded)
        {
            // Refused, timed out or etcd unreachable, and nothing newer seen yet: the change may still have
            // landed. Keep counting the proposed ISR in (the safe side for the high watermark) and ask again.
            _retryIsrAtMs = NowMs + IsrRetryMs;
        }
        // Succeeded but not visible yet: the image brings it, and OnBecomeLeader ends the proposal then.
        partition.Isr = MaximalIsr();
        MaybeAdvanceHighWatermark();
        CompleteAcks();
    }

    private void UpdateTimer()
    {
        bool needed = partition.IsLeader && _state is not null && (_state.Replicas.Length > 1 || _pendingAcks.Count > 0);
        if (needed && !IsTimerActive(TickTimer))
        {
            var interval = TimeSpan.FromMilliseconds(Math.Clamp(replication.ReplicaLagTimeMaxMs / 4, 50, 250));
            SchedulePeriodic(TickTimer, interval, new PartitionMessage.ReplicationTick());
        }
        else if (!needed && IsTimerActive(TickTimer)) CancelTimer(TickTimer);
    }

    /// <summary>Stops leading (demotion, or removal of this replica): everything waiting is answered.</summary>
    private void Resign(ErrorCode error)
    {
        bool wasLeader = partition.IsLeader;
        partition.IsLeader = false;
        partition.Isr = [];
        _pendingIsr = null;
        _followers.Clear();
        FailPendingAcks(error);
        CancelTimer(TickTimer);
        if (wasLeader) replication.LeadershipChanged(partition, false);
    }
}
