namespace AkkaLog.Broker.Cluster;

/// <summary>
/// How a broker paces the renewals of its etcd lease so that one slow or stalled etcd endpoint can
/// never let the lease expire: renewals happen at least three times per TTL, each request to one
/// endpoint gives up after <see cref="AttemptTimeout"/> (at most a quarter of the TTL, never more than
/// the heartbeat) and moves on to the next endpoint, and a failed renewal is retried after
/// <see cref="RetryBackoff"/> instead of a whole heartbeat. With the defaults (TTL 2 s, heartbeat
/// 500 ms) a renewal that finds one endpoint stalled still lands about a second before the lease runs out.
/// The general etcd request timeout (5 s) is far too long for this: it is longer than the TTL itself.
/// </summary>
/// <param name="Ttl">The lease TTL (broker.session.timeout.ms rounded up to whole seconds, as etcd counts).</param>
/// <param name="Heartbeat">Time between successful renewals.</param>
/// <param name="AttemptTimeout">Bound on one renewal request to one endpoint.</param>
/// <param name="RetryBackoff">Pause before retrying a renewal that failed on every endpoint.</param>
public readonly record struct LeaseTiming(TimeSpan Ttl, TimeSpan Heartbeat, TimeSpan AttemptTimeout, TimeSpan RetryBackoff)
{
    private static readonly TimeSpan MinAttempt = TimeSpan.FromMilliseconds(100);

    /// <summary>The pacing for a session timeout and a configured heartbeat interval.</summary>
    public static LeaseTiming For(TimeSpan sessionTimeout, TimeSpan heartbeat)
    {
        var ttl = TimeSpan.FromSeconds(TtlSeconds(sessionTimeout));
        var beat = heartbeat <= TimeSpan.Zero ? ttl / 4 : Min(heartbeat, ttl / 3);
        var attempt = Max(Min(beat, ttl / 4), MinAttempt);
        var backoff = Min(Max(Min(beat / 5, TimeSpan.FromMilliseconds(100)), TimeSpan.FromMilliseconds(10)), beat);
        return new LeaseTiming(ttl, beat, attempt, backoff);
    }

    /// <summary>The TTL etcd is asked for: whole seconds, at least one.</summary>
    public static long TtlSeconds(TimeSpan sessionTimeout) => Math.Max(1, (long)Math.Ceiling(sessionTimeout.TotalSeconds));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
