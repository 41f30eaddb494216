using System.Runtime.ExceptionServices;
using AkkaLog.Client.Internal.Consumer.Group;

namespace AkkaLog.Client.Internal.Consumer;

internal sealed partial class Consumer<TKey, TValue>
{
    /// <inheritdoc />
    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        try
        {
            if (_coordinator is not null)
            {
                bool member = _coordinator.IsSubscribed;
                RunSync(_ => _coordinator.StopLoopAsync(), "Close");
                try
                {
                    if (member) Revoke(_table.Assigned(), lost: false);
                    else if (_settings.EnableAutoCommit) CommitStored(null);
                }
                finally
                {
                    RunSync(ct => _coordinator.LeaveAsync(member, "the consumer is being closed", ct), "Close");
                    DropAbandonedWork();
                }
            }
        }
        finally
        {
            _current?.Dispose();
            _current = null;
            _fetcher.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _coordinator?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _core.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// Runs the work the coordinator posted (rebalance steps and their handlers), in order. A handler's
    /// exception does not stop the rebalance: the step completes and the exception is rethrown to the
    /// caller of Consume afterwards, as Java's poll does.
    /// </summary>
    private void RunWork()
    {
        Exception? failure = null;
        while (_work.TryDequeue(out var work))
        {
            if (work.Token.IsCancellationRequested)
            {
                work.Done.TrySetCanceled();
                continue;
            }
            try
            {
                work.Action();
            }
            catch (Exception e)
            {
                failure ??= e;
            }
            finally
            {
                work.Done.TrySetResult();
            }
        }
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Work posted by a membership that has ended must not run.</summary>
    private void DropAbandonedWork()
    {
        while (_work.TryDequeue(out var work)) work.Done.TrySetCanceled();
    }

    /// <summary>
    /// Gives up <paramref name="partitions"/> on the consumer thread: commit their stored offsets (auto-commit,
    /// not when lost: the generation is gone), call the revoked (or lost) handler with their positions,
    /// then remove them.
    /// </summary>
    private void Revoke(IReadOnlyList<TopicPartition> partitions, bool lost)
    {
        if (partitions.Count == 0) return;
        try
        {
            if (!lost && _settings.EnableAutoCommit && _coordinator is not null)
            {
                try
                {
                    CommitStored(partitions);
                }
                catch (KafkaException e)
                {
                    System.Diagnostics.Trace.TraceWarning($"akkalog consumer {Name}: commit on revocation failed: {e.Message}");
                }
            }
            var handler = lost ? _handlers.Lost ?? _handlers.Revoked : _handlers.Revoked;
            handler?.Invoke(this, partitions.Select(tp => new TopicPartitionOffset(tp, Position(tp))).ToList());
        }
        finally
        {
            foreach (var tp in partitions) _table.Remove(tp);
        }
    }

    /// <summary>Takes on partitions the group assigned (positions from the committed offsets), then calls the assigned handler.</summary>
    private void AssignFromGroup(IReadOnlyList<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
        {
            _core.Metadata.Track(tp.Topic);
            _table.Add(tp, PositionSource.Committed);
        }
        _handlers.Assigned?.Invoke(this, partitions.ToList());
    }

    private void CommitStored(IReadOnlyCollection<TopicPartition>? partitions)
    {
        var offsets = StoredOffsets(partitions, onlyChanged: true);
        if (offsets.Count > 0) CommitSync(offsets.Select(o => o.Offset).ToList());
    }

    private Task Post(Action action, CancellationToken cancellationToken)
    {
        var work = new ConsumerWork(action, cancellationToken);
        _work.Enqueue(work);
        _table.ConsumerWake.Set();
        return work.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>A step for the consumer thread, abandoned if its token is cancelled before it runs.</summary>
    private sealed class ConsumerWork(Action action, CancellationToken token)
    {
        public Action Action { get; } = action;
        public CancellationToken Token { get; } = token;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The coordinator's view of this consumer.</summary>
    private sealed class Listener(Consumer<TKey, TValue> consumer) : IRebalanceListener
    {
        public IReadOnlyList<TopicPartition> Owned() => consumer._table.Assigned();

        public Task RevokeAsync(IReadOnlyList<TopicPartition> partitions, bool lost, CancellationToken cancellationToken) =>
            consumer.Post(() => consumer.Revoke(partitions, lost), cancellationToken);

        public Task AssignAsync(IReadOnlyList<TopicPartition> partitions, CancellationToken cancellationToken) =>
            consumer.Post(() => consumer.AssignFromGroup(partitions), cancellationToken);

        public void Fatal(KafkaException error)
        {
            Volatile.Write(ref consumer._fatal, error);
            consumer._table.ConsumerWake.Set();
        }
    }
}
