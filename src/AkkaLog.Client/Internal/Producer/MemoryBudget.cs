namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// The buffer.memory bound: bytes of records accepted but not yet acknowledged. A reservation that
/// does not fit waits, first come first served (so a stream of small records cannot starve a big
/// one, as in the Java client's BufferPool), until enough is released or max.block.ms passes.
/// Thread-safe.
/// </summary>
internal sealed class MemoryBudget(long capacity)
{
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Lock _lock = new();
    private readonly long _capacity = capacity;
    private long _available = capacity;

    /// <summary>Total capacity in bytes.</summary>
    public long Capacity => _capacity;

    /// <summary>Bytes free right now.</summary>
    public long Available
    {
        get { lock (_lock) return _available; }
    }

    /// <summary>Takes <paramref name="bytes"/> if they are free and nobody is queued ahead; never waits.</summary>
    public bool TryReserve(long bytes)
    {
        lock (_lock)
        {
            if (_waiters.Count > 0 || _available < bytes) return false;
            _available -= bytes;
            return true;
        }
    }

    /// <summary>
    /// Takes <paramref name="bytes"/>, waiting up to <paramref name="maxWait"/> in line. Throws
    /// <see cref="TimeoutException"/> when time runs out. A request above capacity can never succeed
    /// and throws <see cref="ArgumentOutOfRangeException"/> at once.
    /// </summary>
    public async ValueTask ReserveAsync(long bytes, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var waiter = Enqueue(bytes);
        if (waiter is null) return;
        try
        {
            await waiter.Granted.Task.WaitAsync(maxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            GiveUp(waiter);
            throw;
        }
    }

    /// <summary>
    /// As <see cref="ReserveAsync"/>, blocking the calling thread: the back-pressure of the blocking
    /// Produce, woken once per release rather than once per record.
    /// </summary>
    public void Reserve(long bytes, TimeSpan maxWait)
    {
        var waiter = Enqueue(bytes);
        if (waiter is null) return;
        if (waiter.Granted.Task.Wait(maxWait)) return;
        GiveUp(waiter);
        throw new TimeoutException($"{bytes} bytes of buffer.memory did not free up within {maxWait.TotalMilliseconds:0} ms");
    }

    /// <summary>Takes the bytes now (null) or queues a waiter for them.</summary>
    private Waiter? Enqueue(long bytes)
    {
        if (bytes > _capacity) throw new ArgumentOutOfRangeException(nameof(bytes), $"{bytes} bytes exceed buffer.memory ({_capacity})");
        lock (_lock)
        {
            if (_waiters.Count == 0 && _available >= bytes)
            {
                _available -= bytes;
                return null;
            }
            var waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
            return waiter;
        }
    }

    /// <summary>Withdraws a waiter that stopped waiting; if it was granted meanwhile, its bytes go back.</summary>
    private void GiveUp(Waiter waiter)
    {
        lock (_lock)
        {
            if (waiter.Node!.List is not null)
            {
                _waiters.Remove(waiter.Node);
                GrantWaiters();
                return;
            }
        }
        Release(waiter.Bytes);
    }

    /// <summary>Returns <paramref name="bytes"/> and wakes queued reservations that now fit.</summary>
    public void Release(long bytes)
    {
        if (bytes == 0) return;
        lock (_lock)
        {
            _available += bytes;
            GrantWaiters();
        }
    }

    private void GrantWaiters()
    {
        while (_waiters.First is { } first && first.Value.Bytes <= _available)
        {
            _available -= first.Value.Bytes;
            _waiters.RemoveFirst();
            first.Value.Granted.TrySetResult();
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;
        public LinkedListNode<Waiter>? Node { get; set; }
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
