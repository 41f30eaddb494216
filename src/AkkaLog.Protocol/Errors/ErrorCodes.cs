using System.Collections.Frozen;

namespace AkkaLog.Protocol;

/// <summary>
/// Facts about <see cref="ErrorCode"/> values: whether a client may retry, and safe handling of
/// codes this build does not know.
/// </summary>
public static class ErrorCodes
{
    // Kafka marks these retriable: their exception classes extend RetriableException
    // (directly or via InvalidMetadataException) in org.apache.kafka.common.errors.
    private static readonly FrozenSet<ErrorCode> Retriable = new[]
    {
        ErrorCode.CorruptMessage,
        ErrorCode.UnknownTopicOrPartition,
        ErrorCode.LeaderNotAvailable,
        ErrorCode.NotLeaderOrFollower,
        ErrorCode.RequestTimedOut,
        ErrorCode.ReplicaNotAvailable,
        ErrorCode.NetworkException,
        ErrorCode.CoordinatorLoadInProgress,
        ErrorCode.CoordinatorNotAvailable,
        ErrorCode.NotCoordinator,
        ErrorCode.NotEnoughReplicas,
        ErrorCode.NotEnoughReplicasAfterAppend,
        ErrorCode.NotController,
        ErrorCode.ConcurrentTransactions,
        ErrorCode.KafkaStorageError,
        ErrorCode.FetchSessionIdNotFound,
        ErrorCode.InvalidFetchSessionEpoch,
        ErrorCode.ListenerNotFound,
        ErrorCode.FencedLeaderEpoch,
        ErrorCode.UnknownLeaderEpoch,
        ErrorCode.OffsetNotAvailable,
        ErrorCode.PreferredLeaderNotAvailable,
        ErrorCode.EligibleLeadersNotAvailable,
        ErrorCode.UnstableOffsetCommit,
        ErrorCode.ThrottlingQuotaExceeded,
        ErrorCode.UnknownTopicId,
        ErrorCode.InconsistentTopicId,
        ErrorCode.FetchSessionTopicIdError,
        ErrorCode.ShareSessionNotFound,
        ErrorCode.InvalidShareSessionEpoch,
    }.ToFrozenSet();

    /// <summary>True when a client may retry the request unchanged after this error.</summary>
    public static bool IsRetriable(ErrorCode code) => Retriable.Contains(code);

    /// <summary>True when <paramref name="code"/> is a code this build knows.</summary>
    public static bool IsKnown(ErrorCode code) => Enum.IsDefined(code);

    /// <summary>Maps a raw wire value to an <see cref="ErrorCode"/>; unknown values become <see cref="ErrorCode.UnknownServerError"/>.</summary>
    public static ErrorCode Normalize(short code) =>
        Enum.IsDefined((ErrorCode)code) ? (ErrorCode)code : ErrorCode.UnknownServerError;
}
