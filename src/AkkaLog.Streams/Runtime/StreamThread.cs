using AkkaLog.Client;

namespace AkkaLog.Streams.Internal;

/// <summary>
/// The processing loop of one instance, on its own thread: poll the group consumer, route records to
/// their task's bounded queues (pausing a partition whose queue is full), process tasks, and every
/// commit.interval.ms commit (<see cref="Commit"/>). Rebalances arrive as consumer callbacks on this
/// thread: revoked partitions' tasks are committed and suspended (kept, in case they come back);
/// assigned ones get tasks whose stores are restored from their changelogs before they run.
/// </summary>
internal sealed partial class StreamThread
{
    private readonly Topology _topology;
    private readonly StreamsConfig _config;
    private readonly StreamsMetrics _metrics;
    private readonly RuntimeTopics _topics;
    private readonly RecordCollector _collector;
    private readonly IConsumer<byte[], byte[]> _consumer;
    private readonly Restorer _restorer;
    private readonly Dictionary<TaskId, StreamTask> _tasks = [];
    private readonly Dictionary<TaskId, StreamTask> _suspended = [];
    private readonly Dictionary<TopicPartition, StreamTask> _taskByPartition = [];
    private readonly HashSet<TopicPartition> _paused = [];
    private readonly List<TopicPartitionOffset> _offsets = [];
    private readonly CancellationToken _stopping;
    private volatile IReadOnlyDictionary<TaskId, StreamTask> _published = new Dictionary<TaskId, StreamTask>();
    private long _lastCommit = Environment.TickCount64;
    private bool _failed;

    public StreamThread(Topology topology, StreamsConfig config, StreamsMetrics metrics, RuntimeTopics topics, CancellationToken stopping)
    {
        _topology = topology;
        _config = config;
        _metrics = metrics;
        _topics = topics;
        _stopping = stopping;
        var producerConfig = new ProducerConfig(config.Producer) { BootstrapServers = config.BootstrapServers };
        if (!config.Producer.ContainsKey("linger.ms")) producerConfig.LingerMs = 5;
        if (!config.Producer.ContainsKey("acks")) producerConfig.Set("acks", "all");
        _collector = new RecordCollector(new ProducerBuilder<byte[], byte[]>(producerConfig).Build());

        var consumerConfig = new ConsumerConfig(config.Consumer)
        {
            BootstrapServers = config.BootstrapServers, GroupId = config.ApplicationId, EnableAutoCommit = false,
        };
        consumerConfig.Set("auto.offset.reset", config.Consumer.GetValueOrDefault("auto.offset.reset", "earliest"));
        // Range assigns partition p of every co-partitioned topic to the same member, which is what tasks need.
        consumerConfig.Set("partition.assignment.strategy", "range");
        _consumer = new ConsumerBuilder<byte[], byte[]>(consumerConfig)
            .SetPartitionsAssignedHandler((_, _) => OnAssigned())
            .SetPartitionsRevokedHandler((_, revoked) => OnRevoked(revoked.Select(p => p.TopicPartition).ToList()))
            .SetPartitionsLostHandler((_, lost) => OnLost(lost.Select(p => p.TopicPartition).ToList()))
            .Build();
        var restoreConfig = new ConsumerConfig { BootstrapServers = config.BootstrapServers, EnableAutoCommit = false };
        restoreConfig.Set("auto.offset.reset", "earliest");
        _restorer = new Restorer(new ConsumerBuilder<byte[], byte[]>(restoreConfig).Build(), metrics, Log);
    }

    /// <summary>Raised (on this thread) when the set of tasks changed after a rebalance; true once running.</summary>
    public event Action<bool>? TasksChanged;

    /// <summary>The active tasks, for interactive queries from any thread.</summary>
    public IReadOnlyDictionary<TaskId, StreamTask> Tasks => _published;

    /// <summary>Runs until <c>stopping</c> is cancelled (then commits and closes cleanly) or something fails (then closes without committing).</summary>
    public void Run()
    {
        bool clean = false;
        try
        {
            _consumer.Subscribe(_topics.SubscribedTopics);
            while (!_stopping.IsCancellationRequested) RunOnce();
            Commit();
            clean = true;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // An async sink gave up because we are stopping: its record is not done, so nothing more is
            // committed (the records since the last commit are processed again next time).
            Log("stopped while an async sink was still running: not committing the last records");
        }
        finally
        {
            Shutdown(clean);
        }
    }

    private void RunOnce()
    {
        bool buffered = false;
        foreach (var task in _tasks.Values) buffered |= task.HasBuffered;
        ConsumeResult<byte[], byte[]>? record;
        try
        {
            record = _consumer.Consume(buffered ? TimeSpan.Zero : TimeSpan.FromMilliseconds(50));
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return;
        }
        for (int polled = 0; record is not null; )
        {
            Route(record);
            if (++polled >= 2000) break;
            record = _consumer.Consume(TimeSpan.Zero);
        }

        long now = Environment.TickCount64;
        foreach (var task in _tasks.Values)
        {
            int budget = 1000;
            while (budget > 0)
            {
                int done = task.Process(budget, now);
                if (done == 0) break;
                budget -= done;
                _metrics.AddProcessed(done);
                if (task.Context.PendingAsync.Count > 0) AwaitPendingAsync(task.Context);
            }
        }
        ResumeDrained();
        if (_collector.InFlight >= RecordCollector.MaxInFlight) _collector.FlushAsync().GetAwaiter().GetResult();
        if (Environment.TickCount64 - _lastCommit >= _config.CommitIntervalMs) Commit();
    }

    private static void AwaitPendingAsync(TaskContext context)
    {
        try
        {
            Task.WhenAll(context.PendingAsync).GetAwaiter().GetResult();
        }
        finally
        {
            context.PendingAsync.Clear();
        }
    }

    private void Route(ConsumeResult<byte[], byte[]> record)
    {
        if (!_taskByPartition.TryGetValue(record.TopicPartition, out var task)) return;
        task.Add(record);
        if (task.Buffered(record.TopicPartition) >= _config.BufferedRecordsPerPartition && _paused.Add(record.TopicPartition))
            _consumer.Pause([record.TopicPartition]);
    }

    private void ResumeDrained()
    {
        if (_paused.Count == 0) return;
        List<TopicPartition>? resume = null;
        foreach (var tp in _paused)
        {
            if (_taskByPartition.TryGetValue(tp, out var task) && task.Buffered(tp) > _config.BufferedRecordsPerPartition / 2) continue;
            (resume ??= []).Add(tp);
        }
        if (resume is null) return;
        foreach (var tp in resume) _paused.Remove(tp);
        _consumer.Resume(resume.Where(_taskByPartition.ContainsKey));
    }

    /// <summary>
    /// The at-least-once commit: stores send their changes to the changelogs, the producer's every send
    /// (outputs and changelogs) must be acknowledged, persistent stores checkpoint, and only then are the
    /// processed offsets committed.
    /// </summary>
    private void Commit()
    {
        foreach (var task in _tasks.Values) task.WriteChanges();
        _collector.FlushAsync().GetAwaiter().GetResult();
        foreach (var task in _tasks.Values) task.Checkpoint();
        _offsets.Clear();
        foreach (var task in _tasks.Values) task.TakeCommittable(_offsets);
        if (_offsets.Count > 0) _consumer.Commit(_offsets);
        _lastCommit = Environment.TickCount64;
        _metrics.AddCommit();
    }

    private void Log(string line) => _config.Log?.Invoke($"[{_config.ApplicationId}] {line}");
}
