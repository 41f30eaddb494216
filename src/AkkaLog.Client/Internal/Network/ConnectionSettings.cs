namespace AkkaLog.Client.Internal.Network;

/// <summary>The settings every broker connection of one client shares, read once from its <see cref="ClientConfig"/>.</summary>
internal sealed record ConnectionSettings(
    string ClientId,
    TimeSpan RequestTimeout,
    TimeSpan SetupTimeout,
    TimeSpan ReconnectBackoff,
    TimeSpan ReconnectBackoffMax,
    TimeSpan RetryBackoff,
    TimeSpan RetryBackoffMax,
    TimeSpan MetadataMaxAge)
{
    /// <summary>Largest response frame accepted; a larger size prefix means a broken stream.</summary>
    public int MaxResponseBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>Reads the shared keys of <paramref name="config"/>.</summary>
    public static ConnectionSettings From(ClientConfig config) => new(
        config.ClientId,
        TimeSpan.FromMilliseconds(config.RequestTimeoutMs),
        TimeSpan.FromMilliseconds(config.SocketConnectionSetupTimeoutMs),
        TimeSpan.FromMilliseconds(config.ReconnectBackoffMs),
        TimeSpan.FromMilliseconds(Math.Max(config.ReconnectBackoffMs, config.ReconnectBackoffMaxMs)),
        TimeSpan.FromMilliseconds(config.RetryBackoffMs),
        TimeSpan.FromMilliseconds(Math.Max(config.RetryBackoffMs, config.RetryBackoffMaxMs)),
        TimeSpan.FromMilliseconds(config.MetadataMaxAgeMs));

    /// <summary>
    /// Exponential backoff with ±20% jitter, as the Java client computes it: base * 2^(attempt-1),
    /// capped at max. Jitter keeps many clients from reconnecting in lockstep after a broker restart.
    /// </summary>
    public static TimeSpan Backoff(TimeSpan baseDelay, TimeSpan max, int attempt)
    {
        if (attempt <= 0 || baseDelay <= TimeSpan.Zero) return TimeSpan.Zero;
        double ms = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        ms = Math.Min(ms, max.TotalMilliseconds);
        ms *= 0.8 + Random.Shared.NextDouble() * 0.4;
        return TimeSpan.FromMilliseconds(ms);
    }
}
