using AkkaLog.Protocol;

namespace AkkaLog.Client.Internal.Consumer;

internal sealed partial class Consumer<TKey, TValue>
{
    /// <inheritdoc />
    public void Seek(TopicPartitionOffset position)
    {
        ThrowIfClosed();
        if (!_table.TryGet(position.TopicPartition, out var state))
            throw new InvalidOperationException($"{position.TopicPartition} is not assigned to this consumer");
        var (source, offset) = SourceOf(position.Offset);
        _table.Seek(state, source, offset);
    }

    /// <inheritdoc />
    public void Pause(IEnumerable<TopicPartition> partitions) => SetPaused(partitions, true);

    /// <inheritdoc />
    public void Resume(IEnumerable<TopicPartition> partitions) => SetPaused(partitions, false);

    /// <summary>Partitions not assigned (any more: a rebalance may have taken them) are ignored.</summary>
    private void SetPaused(IEnumerable<TopicPartition> partitions, bool paused)
    {
        ThrowIfClosed();
        foreach (var tp in partitions)
        {
            if (_table.TryGet(tp, out var state)) _table.SetPaused(state, paused);
        }
    }

    /// <inheritdoc />
    public List<TopicPartitionOffset> Commit()
    {
        ThrowIfClosed();
        var positions = Positions();
        CommitSync(positions);
        return positions;
    }

    /// <inheritdoc />
    public void Commit(IEnumerable<TopicPartitionOffset> offsets)
    {
        ThrowIfClosed();
        CommitSync(Checked(offsets));
    }

    /// <inheritdoc />
    public void Commit(ConsumeResult<TKey, TValue> result)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(result);
        if (result.IsPartitionEOF) throw new ArgumentException("an EOF result has no record to commit", nameof(result));
        CommitSync([new TopicPartitionOffset(result.TopicPartition, result.Offset.Value + 1)]);
    }

    /// <inheritdoc />
    public async Task CommitAsync(IEnumerable<TopicPartitionOffset>? offsets = null, CancellationToken cancellationToken = default)
    {
        ThrowIfClosed();
        var list = offsets is null ? Positions() : Checked(offsets);
        if (_coordinator is null) throw NoGroup("Commit");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(_settings.DefaultApiTimeout);
        try
        {
            await _coordinator.CommitAsync(list, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KafkaException(ErrorCode.RequestTimedOut, $"Commit did not complete within {_settings.DefaultApiTimeout.TotalMilliseconds:0} ms");
        }
        NoteCommitted(list);
    }

    /// <inheritdoc />
    public void StoreOffset(ConsumeResult<TKey, TValue> result)
    {
        ThrowIfClosed();
        ArgumentNullException.ThrowIfNull(result);
        if (!_table.TryGet(result.TopicPartition, out var state))
            throw new InvalidOperationException($"{result.TopicPartition} is not assigned to this consumer");
        state.Stored = result.IsPartitionEOF ? result.Offset.Value : result.Offset.Value + 1;
    }

    /// <inheritdoc />
    public List<TopicPartitionOffset> Committed(IEnumerable<TopicPartition> partitions, TimeSpan timeout)
    {
        ThrowIfClosed();
        if (_coordinator is null) throw NoGroup("Committed");
        var list = partitions.ToList();
        var committed = RunSync(ct => _coordinator.FetchCommittedAsync(list, ct), "Committed", timeout);
        return list.Select(tp => new TopicPartitionOffset(tp, committed.TryGetValue(tp, out long o) && o >= 0 ? o : Offset.Unset)).ToList();
    }

    /// <inheritdoc />
    public Offset Position(TopicPartition partition)
    {
        if (!_table.TryGet(partition, out var state)) return Offset.Unset;
        lock (_table.Sync) return state.Source == PositionSource.Known && state.Position >= 0 ? state.Position : Offset.Unset;
    }

    /// <inheritdoc />
    public WatermarkOffsets QueryWatermarkOffsets(TopicPartition partition, TimeSpan timeout)
    {
        ThrowIfClosed();
        return RunSync(async ct =>
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    var topic = await _core.Metadata.WaitForTopicAsync(partition.Topic, timeout, ct).ConfigureAwait(false);
                    if ((uint)partition.Partition.Value >= (uint)topic.Partitions.Length)
                        throw new KafkaException(ErrorCode.UnknownTopicOrPartition, $"{partition} does not exist");
                    int leader = topic.Partitions[partition.Partition.Value].Leader;
                    var connection = await _core.Pool.GetAsync(leader, ct).ConfigureAwait(false);
                    var low = OffsetLookup.ListAsync(connection, [(partition, OffsetLookup.Earliest)], _settings.IsolationByte, ct);
                    var high = OffsetLookup.ListAsync(connection, [(partition, OffsetLookup.Latest)], _settings.IsolationByte, ct);
                    var (lowError, lowOffset) = (await low.ConfigureAwait(false))[partition];
                    var (highError, highOffset) = (await high.ConfigureAwait(false))[partition];
                    var error = lowError != ErrorCode.None ? lowError : highError;
                    if (error != ErrorCode.None) throw new KafkaException(error, $"ListOffsets for {partition}: {Error.Describe(error)}");
                    return new WatermarkOffsets(lowOffset, highOffset);
                }
                catch (KafkaException e) when (e.IsRetriable && !ct.IsCancellationRequested)
                {
                    if (OffsetLookup.IsStaleMetadata(e.Code)) _core.Metadata.RequestRefresh();
                    await Task.Delay(Network.ConnectionSettings.Backoff(_settings.RetryBackoff, _settings.RetryBackoffMax, attempt), ct)
                        .ConfigureAwait(false);
                }
            }
        }, "QueryWatermarkOffsets", timeout);
    }

    private void CommitSync(List<TopicPartitionOffset> offsets)
    {
        if (_coordinator is null) throw NoGroup("Commit");
        RunSync(ct => _coordinator.CommitAsync(offsets, ct), "Commit");
        NoteCommitted(offsets);
    }

    /// <summary>The positions of the assigned partitions that have one.</summary>
    private List<TopicPartitionOffset> Positions()
    {
        var list = new List<TopicPartitionOffset>();
        lock (_table.Sync)
        {
            foreach (var s in _table.StatesLocked)
            {
                if (s.Source == PositionSource.Known && s.Position >= 0) list.Add(new TopicPartitionOffset(s.TopicPartition, s.Position));
            }
        }
        return list;
    }

    /// <summary>Stored offsets of <paramref name="partitions"/> (all when null), only those not committed yet when <paramref name="onlyChanged"/>.</summary>
    private List<(PartitionState State, TopicPartitionOffset Offset)> StoredOffsets(IReadOnlyCollection<TopicPartition>? partitions, bool onlyChanged)
    {
        var list = new List<(PartitionState, TopicPartitionOffset)>();
        lock (_table.Sync)
        {
            foreach (var s in _table.StatesLocked)
            {
                if (s.Stored < 0 || (onlyChanged && s.Stored == s.Committed) || (partitions is not null && !partitions.Contains(s.TopicPartition))) continue;
                list.Add((s, new TopicPartitionOffset(s.TopicPartition, s.Stored)));
            }
        }
        return list;
    }

    private void NoteCommitted(IEnumerable<TopicPartitionOffset> offsets)
    {
        foreach (var o in offsets)
        {
            if (_table.TryGet(o.TopicPartition, out var state)) state.Committed = o.Offset.Value;
        }
    }

    private static List<TopicPartitionOffset> Checked(IEnumerable<TopicPartitionOffset> offsets)
    {
        var list = offsets.ToList();
        foreach (var o in list)
        {
            if (o.Offset.Value < 0 || o.Partition.Value < 0 || string.IsNullOrEmpty(o.Topic))
                throw new ArgumentException($"cannot commit {o}: a topic, a partition and an offset >= 0 are needed", nameof(offsets));
        }
        return list;
    }
}
