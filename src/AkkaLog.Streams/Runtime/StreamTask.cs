using AkkaLog.Client;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// One partition of one sub-topology: its processors, its stores and a bounded queue per input
/// partition. Records are processed in event-time order across the task's partitions (the queue whose
/// head has the smallest timestamp goes first); while one input is empty the task waits up to
/// max.task.idle.ms for it, so a join does not run ahead on one side. Offsets become committable only
/// once their record has been processed. Used by the stream thread only.
/// </summary>
internal sealed class StreamTask
{
    private readonly Dictionary<string, ISourceProcessor> _sourceByTopic = new(StringComparer.Ordinal);
    private readonly Dictionary<TopicPartition, Queue<ConsumeResult<byte[], byte[]>>> _queues = [];
    private readonly Dictionary<TopicPartition, long> _processedUpTo = [];
    private readonly Queue<ConsumeResult<byte[], byte[]>>[] _queueArray;
    private readonly string? _directory;
    private long _idleSince = -1;

    public StreamTask(TaskId id, SubTopology sub, TaskContext context, IReadOnlyDictionary<TopicRef, string> topicNames,
        IEnumerable<TopicPartition> inputs, string? directory)
    {
        Id = id;
        Context = context;
        _directory = directory;
        foreach (var builder in sub.Stores)
        {
            string? changelog = builder.Logged ? builder.ChangelogTopic(context.ApplicationId) : null;
            context.AddStore(builder.Open(new StoreContext(builder.Name, changelog, id.Partition, directory, context)));
        }
        var created = new Dictionary<TopologyNode, object>();
        object Create(TopologyNode node)
        {
            if (!created.TryGetValue(node, out var processor)) created[node] = processor = node.Create(context, Create);
            return processor;
        }
        foreach (var source in sub.Sources)
        {
            var processor = (ISourceProcessor)Create((TopologyNode)source);
            foreach (var topic in source.Topics) _sourceByTopic[topicNames[topic]] = processor;
        }
        foreach (var node in sub.Nodes) Create(node);
        foreach (var tp in inputs) _queues[tp] = new Queue<ConsumeResult<byte[], byte[]>>();
        _queueArray = _queues.Values.ToArray();
    }

    public TaskId Id { get; }
    public TaskContext Context { get; }
    public IEnumerable<TopicPartition> Inputs => _queues.Keys;
    public bool HasBuffered => _queueArray.Any(q => q.Count > 0);

    public void Add(ConsumeResult<byte[], byte[]> record) => _queues[record.TopicPartition].Enqueue(record);

    public int Buffered(TopicPartition partition) => _queues.TryGetValue(partition, out var q) ? q.Count : 0;

    /// <summary>Drops buffered records (they are fetched again from the committed offsets).</summary>
    public void ClearBuffers()
    {
        foreach (var q in _queueArray) q.Clear();
        _processedUpTo.Clear();
        _idleSince = -1;
    }

    /// <summary>Processes up to <paramref name="max"/> records; stops early when a record started async sink work.</summary>
    public int Process(int max, long nowMs)
    {
        int done = 0;
        while (done < max)
        {
            Queue<ConsumeResult<byte[], byte[]>>? next = null;
            bool anyEmpty = false;
            foreach (var q in _queueArray)
            {
                if (q.Count == 0) { anyEmpty = true; continue; }
                if (next is null || q.Peek().Message.Timestamp.UnixTimestampMs < next.Peek().Message.Timestamp.UnixTimestampMs) next = q;
            }
            if (next is null) break;
            if (anyEmpty)
            {
                if (_idleSince < 0) _idleSince = nowMs;
                if (nowMs - _idleSince < Context.Config.MaxTaskIdleMs) break;
            }
            else
            {
                _idleSince = -1;
            }
            var record = next.Dequeue();
            Context.RecordTopic = record.Topic;
            Context.RecordPartition = record.Partition.Value;
            Context.RecordOffset = record.Offset.Value;
            _sourceByTopic[record.Topic].Process(record.Message.Key, record.Message.Value, record.Message.Timestamp.UnixTimestampMs);
            _processedUpTo[record.TopicPartition] = record.Offset.Value + 1;
            done++;
            if (Context.PendingAsync.Count > 0) break;
        }
        return done;
    }

    /// <summary>Offsets of the next record to process, per input partition that moved since the last call.</summary>
    public void TakeCommittable(List<TopicPartitionOffset> into)
    {
        foreach (var (tp, offset) in _processedUpTo) into.Add(new TopicPartitionOffset(tp, offset));
        _processedUpTo.Clear();
    }

    public void WriteChanges()
    {
        foreach (var store in Context.Stores.Values) store.WriteChanges(Context.Collector);
    }

    /// <summary>After the collector flushed: persistent stores make their files durable and record the changelog offset.</summary>
    public void Checkpoint()
    {
        foreach (var store in Context.Stores.Values)
        {
            if (!store.Persistent || _directory is null) continue;
            store.FlushLocal();
            long offset = store.AcknowledgedChangelogOffset();
            if (offset >= 0 || store.ChangelogTopic is null) Internal.Checkpoint.Write(_directory, store.Name, offset);
        }
    }

    public void Close()
    {
        foreach (var store in Context.Stores.Values) store.Close();
    }
}
