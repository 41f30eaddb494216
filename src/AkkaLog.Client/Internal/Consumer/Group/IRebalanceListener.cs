namespace AkkaLog.Client.Internal.Consumer.Group;

/// <summary>
/// What the <see cref="ConsumerCoordinator"/> needs from the consumer: the partitions it holds, and
/// work that must happen on the consumer's thread (giving up and taking on partitions, which runs the
/// application's handlers). The tasks complete when the consumer thread has done the work; a
/// cancelled token means the coordinator no longer waits and the work must not run.
/// </summary>
internal interface IRebalanceListener
{
    /// <summary>The partitions assigned now (any thread).</summary>
    IReadOnlyList<TopicPartition> Owned();

    /// <summary>Gives up <paramref name="partitions"/>: commit first (auto-commit, unless <paramref name="lost"/>), run the handler, remove them.</summary>
    Task RevokeAsync(IReadOnlyList<TopicPartition> partitions, bool lost, CancellationToken cancellationToken);

    /// <summary>Adds <paramref name="partitions"/> (positions from the committed offsets) and runs the assigned handler.</summary>
    Task AssignAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken);

    /// <summary>Membership ended with an error that retrying will not fix; Consume throws it.</summary>
    void Fatal(KafkaException error);
}
