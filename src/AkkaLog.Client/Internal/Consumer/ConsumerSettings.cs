namespace AkkaLog.Client.Internal.Consumer;

/// <summary>What the consumer's parts need from <see cref="ConsumerConfig"/>, read once at Build.</summary>
internal sealed record ConsumerSettings(
    string? GroupId,
    string? GroupInstanceId,
    AutoOffsetReset AutoOffsetReset,
    bool EnableAutoCommit,
    int AutoCommitIntervalMs,
    bool EnableAutoOffsetStore,
    int SessionTimeoutMs,
    int HeartbeatIntervalMs,
    int MaxPollIntervalMs,
    string[] Assignors,
    int FetchMinBytes,
    int FetchMaxBytes,
    int MaxPartitionFetchBytes,
    int FetchMaxWaitMs,
    IsolationLevel IsolationLevel,
    bool CheckCrcs,
    bool EnablePartitionEof,
    TimeSpan DefaultApiTimeout,
    TimeSpan RetryBackoff,
    TimeSpan RetryBackoffMax,
    TimeSpan RequestTimeout)
{
    /// <summary>Reads <paramref name="config"/> (already validated).</summary>
    public static ConsumerSettings From(ConsumerConfig config) => new(
        string.IsNullOrEmpty(config.GroupId) ? null : config.GroupId,
        config.GroupInstanceId,
        config.AutoOffsetReset,
        config.EnableAutoCommit,
        config.AutoCommitIntervalMs,
        config.EnableAutoOffsetStore,
        config.SessionTimeoutMs,
        config.HeartbeatIntervalMs,
        config.MaxPollIntervalMs,
        config.AssignorNames,
        config.FetchMinBytes,
        config.FetchMaxBytes,
        config.MaxPartitionFetchBytes,
        config.FetchMaxWaitMs,
        config.IsolationLevel,
        config.CheckCrcs,
        config.EnablePartitionEof,
        TimeSpan.FromMilliseconds(config.DefaultApiTimeoutMs),
        TimeSpan.FromMilliseconds(config.RetryBackoffMs),
        TimeSpan.FromMilliseconds(Math.Max(config.RetryBackoffMs, config.RetryBackoffMaxMs)),
        TimeSpan.FromMilliseconds(config.RequestTimeoutMs));

    /// <summary>The wire value of the isolation level (Fetch, ListOffsets).</summary>
    public sbyte IsolationByte => IsolationLevel == IsolationLevel.ReadCommitted ? (sbyte)1 : (sbyte)0;

    /// <summary>Where auto.offset.reset sends a partition.</summary>
    public PositionSource ResetSource => AutoOffsetReset switch
    {
        AutoOffsetReset.Earliest => PositionSource.Earliest,
        AutoOffsetReset.Latest => PositionSource.Latest,
        _ => PositionSource.None,
    };
}
