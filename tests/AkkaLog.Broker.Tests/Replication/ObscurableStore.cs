using AkkaLog.Broker.Handlers;
using AkkaLog.Broker.Metadata;
using AkkaLog.Storage;

namespace AkkaLog.Broker.Tests.Replication;

/// <summary>
/// A metadata store that passes everything to a real one, except that a test can make its image
/// forget every broker registration, as when this broker's lease expired while it kept running, or
/// make the next partition updates fail as if etcd were unreachable.
/// </summary>
internal sealed class ObscurableStore(IMetadataStore inner) : IMetadataStore
{
    private int _failUpdates;

    public bool RegistrationsLost { get; set; }

    /// <summary>The next <paramref name="count"/> partition updates throw without reaching the store.</summary>
    public void FailNextPartitionUpdates(int count) => Volatile.Write(ref _failUpdates, count);

    public MetadataImage Current => RegistrationsLost ? inner.Current.WithMembership([], -1, 0) : inner.Current;

    public event Action<MetadataImage>? Changed
    {
        add => inner.Changed += value;
        remove => inner.Changed -= value;
    }

    public ValueTask StartAsync(CancellationToken cancellationToken) => inner.StartAsync(cancellationToken);

    public ValueTask RegisterBrokerAsync(BrokerNode self, CancellationToken cancellationToken) => inner.RegisterBrokerAsync(self, cancellationToken);

    public ValueTask<bool> TryBecomeControllerAsync(CancellationToken cancellationToken) => inner.TryBecomeControllerAsync(cancellationToken);

    public ValueTask<bool> TryCreateTopicAsync(TopicMetadata topic, IReadOnlyList<PartitionState> partitions, CancellationToken cancellationToken) =>
        inner.TryCreateTopicAsync(topic, partitions, cancellationToken);

    public ValueTask<bool> TryDeleteTopicAsync(string name, CancellationToken cancellationToken) => inner.TryDeleteTopicAsync(name, cancellationToken);

    public ValueTask<TopicUpdateStatus> UpdateTopicAsync(string name, Func<TopicMetadata, TopicChange?> change, CancellationToken cancellationToken) =>
        inner.UpdateTopicAsync(name, change, cancellationToken);

    public ValueTask<bool> TryUpdatePartitionAsync(TopicPartition partition, PartitionState expected, PartitionState next, bool asController,
        CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failUpdates) >= 0) throw new HttpRequestException("etcd unreachable (test)");
        Interlocked.Exchange(ref _failUpdates, 0);
        return inner.TryUpdatePartitionAsync(partition, expected, next, asController, cancellationToken);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
