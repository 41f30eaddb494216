using AkkaLog.Client;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// Brings new tasks' stores up to date before they process anything: reads each store's changelog
/// partition from its checkpoint (persistent store with a clean checkpoint) or from the beginning, to
/// the end offset seen when restoring starts. Uses its own consumer, outside the group (manual assign).
/// </summary>
internal sealed class Restorer(IConsumer<byte[], byte[]> consumer, StreamsMetrics metrics, Action<string> log) : IDisposable
{
    public void Dispose() => consumer.Dispose();

    private static readonly TimeSpan WatermarkTimeout = TimeSpan.FromSeconds(30);

    public void Restore(IReadOnlyCollection<StreamTask> tasks, CancellationToken cancellationToken)
    {
        var stores = new Dictionary<TopicPartition, IStateStore>();
        var start = new List<TopicPartitionOffset>();
        var end = new Dictionary<TopicPartition, long>();
        foreach (var task in tasks)
        {
            foreach (var store in task.Context.Stores.Values)
            {
                if (store.ChangelogTopic is null)
                {
                    metrics.AddLoaded(store.LoadedFromLocal);
                    continue;
                }
                var tp = new TopicPartition(store.ChangelogTopic, store.Partition);
                var marks = consumer.QueryWatermarkOffsets(tp, WatermarkTimeout);
                if (store.CheckpointedOffset >= 0 && (store.CheckpointedOffset + 1 > marks.High.Value || store.CheckpointedOffset + 1 < marks.Low.Value))
                {
                    // The local file cannot belong to this changelog (it was deleted and recreated, e.g. by an
                    // application reset, or truncated): as Kafka Streams, drop the local state and restore in full.
                    log($"store {store.Name} partition {store.Partition}: checkpoint {store.CheckpointedOffset} is outside changelog " +
                        $"{tp.Topic} [{marks.Low.Value}, {marks.High.Value}); wiping local state and restoring from the changelog");
                    store.Wipe();
                    metrics.AddWiped(1);
                }
                else metrics.AddLoaded(store.LoadedFromLocal); // what was wiped does not count as loaded
                long from = store.CheckpointedOffset >= 0 ? store.CheckpointedOffset + 1 : marks.Low.Value;
                if (from >= marks.High.Value) continue;
                stores[tp] = store;
                start.Add(new TopicPartitionOffset(tp, new Offset(from)));
                end[tp] = marks.High.Value;
            }
        }
        long restored = 0;
        if (start.Count > 0)
        {
            consumer.Assign(start);
            try
            {
                while (end.Count > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
                    if (record is null)
                    {
                        foreach (var tp in end.Keys.ToList())
                            if (consumer.Position(tp) is { IsSpecial: false } p && p.Value >= end[tp]) end.Remove(tp);
                        continue;
                    }
                    if (!end.TryGetValue(record.TopicPartition, out long high)) continue;
                    stores[record.TopicPartition].Restore(record.Message.Key, record.Message.Value, record.Offset.Value);
                    restored++;
                    if (record.Offset.Value + 1 >= high) end.Remove(record.TopicPartition);
                }
            }
            finally
            {
                consumer.Unassign();
            }
        }
        foreach (var task in tasks)
            foreach (var store in task.Context.Stores.Values) store.RestoreFinished();
        metrics.AddRestored(restored);
        if (restored > 0) log($"restored {restored} changelog records into {stores.Count} store partitions");
    }
}
