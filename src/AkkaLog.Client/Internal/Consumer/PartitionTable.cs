namespace AkkaLog.Client.Internal.Consumer;

/// <summary>
/// The assigned partitions and the fetched data waiting for the consumer thread, shared by the
/// fetcher (which adds data) and the consumer thread (which changes the assignment and takes data).
/// Everything here runs under <see cref="Sync"/>; the decoding of fetched data does not (see
/// <see cref="CompletedFetch"/>). Ready data is kept in arrival order, so partitions take turns
/// response by response; a paused partition's data stays until it is resumed or sought.
/// </summary>
internal sealed class PartitionTable
{
    private readonly Dictionary<TopicPartition, PartitionState> _partitions = new();
    private readonly List<CompletedFetch> _ready = new();

    /// <summary>The lock over the table and the table-lock fields of each <see cref="PartitionState"/>.</summary>
    public object Sync { get; } = new();

    /// <summary>Wakes the consumer thread: data, an error, an EOF or rebalance work arrived.</summary>
    public Signal ConsumerWake { get; } = new();

    /// <summary>Wakes the fetcher: the assignment changed, a buffer drained, a partition resumed.</summary>
    public Signal FetcherWake { get; } = new();

    /// <summary>Partitions with an <see cref="PartitionState.Error"/> not yet thrown (read without the lock as a hint).</summary>
    public int PendingErrors;

    /// <summary>A snapshot of the assigned partitions' states.</summary>
    public List<PartitionState> States()
    {
        lock (Sync) return _partitions.Values.ToList();
    }

    /// <summary>The assigned partitions' states, for a caller holding <see cref="Sync"/>.</summary>
    public Dictionary<TopicPartition, PartitionState>.ValueCollection StatesLocked => _partitions.Values;

    /// <summary>The assigned partitions.</summary>
    public List<TopicPartition> Assigned()
    {
        lock (Sync) return _partitions.Keys.ToList();
    }

    public bool TryGet(TopicPartition tp, out PartitionState state)
    {
        lock (Sync) return _partitions.TryGetValue(tp, out state!);
    }

    /// <summary>Adds (or re-targets) <paramref name="tp"/>, starting from <paramref name="source"/> or the explicit <paramref name="position"/>.</summary>
    public PartitionState Add(TopicPartition tp, PositionSource source, long position = -1)
    {
        lock (Sync)
        {
            if (!_partitions.TryGetValue(tp, out var state))
            {
                state = new PartitionState(tp);
                _partitions[tp] = state;
            }
            SeekLocked(state, source, position);
            FetcherWake.Set();
            return state;
        }
    }

    /// <summary>Stops consuming <paramref name="tp"/>, dropping its fetched data.</summary>
    public void Remove(TopicPartition tp)
    {
        lock (Sync)
        {
            if (!_partitions.Remove(tp, out var state)) return;
            state.Removed = true;
            if (state.Error is not null && !state.ErrorReported) PendingErrors--;
            DropReadyLocked(state);
        }
    }

    /// <summary>Moves <paramref name="state"/> to <paramref name="position"/> (source Known) or to be looked up from <paramref name="source"/>.</summary>
    public void Seek(PartitionState state, PositionSource source, long position = -1)
    {
        lock (Sync)
        {
            SeekLocked(state, source, position);
            FetcherWake.Set();
        }
    }

    public void SetPaused(PartitionState state, bool paused)
    {
        lock (Sync) state.Paused = paused;
        if (!paused)
        {
            FetcherWake.Set();
            ConsumerWake.Set();
        }
    }

    /// <summary>The oldest ready data of a partition that is not paused, dropping stale data on the way; null when none.</summary>
    public CompletedFetch? NextReady()
    {
        lock (Sync)
        {
            for (int i = 0; i < _ready.Count; i++)
            {
                var f = _ready[i];
                if (f.IsStale)
                {
                    _ready.RemoveAt(i--);
                    f.Dispose();
                    continue;
                }
                if (!f.State.Paused) return f;
            }
            return null;
        }
    }

    /// <summary>The consumer thread is done with <paramref name="fetch"/> (drained or dropped): frees its buffer slot.</summary>
    public void Finish(CompletedFetch fetch)
    {
        lock (Sync)
        {
            if (_ready.Remove(fetch) && !fetch.IsStale) fetch.State.Buffered--;
        }
        fetch.Dispose();
        FetcherWake.Set();
    }

    /// <summary>The fetcher adds a response's data for its partition (under the lock).</summary>
    public void AddReadyLocked(CompletedFetch fetch)
    {
        fetch.State.Buffered++;
        _ready.Add(fetch);
    }

    /// <summary>Records a non-retriable error for the consumer thread (under the lock).</summary>
    public void FailLocked(PartitionState state, KafkaException error)
    {
        if (state.Error is not null) return;
        PendingErrors++;
        state.Error = error;
        state.ErrorReported = false;
    }

    /// <summary>Takes one pending partition error, or null.</summary>
    public KafkaException? TakeError()
    {
        if (Volatile.Read(ref PendingErrors) == 0) return null;
        lock (Sync)
        {
            foreach (var s in _partitions.Values)
            {
                // The error stays on the state (no fetching until a seek); only the report is taken.
                if (s.Error is { } e && !s.ErrorReported)
                {
                    s.ErrorReported = true;
                    PendingErrors--;
                    return e;
                }
            }
            return null;
        }
    }

    private void SeekLocked(PartitionState state, PositionSource source, long position)
    {
        state.Epoch++;
        DropReadyLocked(state);
        state.Buffered = 0;
        state.Source = source;
        state.Position = source == PositionSource.Known ? position : -1;
        state.FetchOffset = state.Position;
        if (state.Error is not null && !state.ErrorReported) PendingErrors--;
        state.Error = null;
        state.RetryAtTicks = 0;
        state.EofReported = false;
        state.Removed = false;
    }

    private void DropReadyLocked(PartitionState state)
    {
        for (int i = _ready.Count - 1; i >= 0; i--)
        {
            if (!ReferenceEquals(_ready[i].State, state)) continue;
            _ready[i].Dispose();
            _ready.RemoveAt(i);
        }
    }
}
