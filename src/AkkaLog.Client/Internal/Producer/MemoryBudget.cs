namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// The buffer.memory bound: bytes of records accepted but not yet acknowledged. A reservation that
/// does not fit waits, first come first served (so a stream of small records cannot starve a big
/// one, as in the Java client's BufferPool), until enough is released or max.block.ms passes.
/// Thread-safe. Reserving and releasing take no lock while nobody waits (once per record and once per
/// batch): <c>_available</c> changes by compare-and-swap, and the lock guards only the line of waiters.
/// A waiter counts itself in <c>_waiting</c> before it looks at <c>_available</c> a last time, and a
/// release adds its bytes before it looks at <c>_waiting</c>; both are full fences, so one of the two
/// always sees the other and no waiter misses a release.
/// </summary>
internal sealed class MemoryBudget(long capacity)
{
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Lock _lock = new();
    private readonly long _capacity = capacity;
    private long _available = capacity;
    private int _waiting;

    /// <summary>Total capacity in bytes.</summary>
    public long Capacity => _capacity;

    /// <summary>Bytes free right now.</summary>
    public long Available => Volatile.Read(ref _available);

    /// <summary>Takes <paramref name="bytes"/> if they are free and nobody is queued ahead; never waits.</summary>
    public bool TryReserve(long bytes) => Volatile.Read(ref _waiting) == 0 && TryTake(bytes);

    /// <summary>Subtracts <paramref name="bytes"/> from what is available if that much is.</summary>
    private bool TryTake(long bytes)
    {
        long available = Volatile.Read(ref _available);
        while (available >= bytes)
        {
            long seen = Interlocked.CompareExchange(ref _available, available - bytes, available);
            if (seen == available) return true;
            available = seen;
        }
        return false;
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
        var waiter = Enqueue(bytes, blocking: true);
        if (waiter is null) return;
        // Sleep without spinning first (Task.Wait would): a grant takes a whole produce round trip,
        // and on a small machine the spinning thread takes the core the sender and broker need.
        if (waiter.Blocked!.Wait(maxWait)) return;
        GiveUp(waiter);
        throw new TimeoutException($"{bytes} bytes of buffer.memory did not free up within {maxWait.TotalMilliseconds:0} ms");
    }

    /// <summary>Takes the bytes now (null) or queues a waiter for them.</summary>
    private Waiter? Enqueue(long bytes, bool blocking = false)
    {
        if (bytes > _capacity) throw new ArgumentOutOfRangeException(nameof(bytes), $"{bytes} bytes exceed buffer.memory ({_capacity})");
        lock (_lock)
        {
            Interlocked.Increment(ref _waiting);
            if (_waiters.Count == 0 && TryTake(bytes))
            {
                Interlocked.Decrement(ref _waiting);
                return null;
            }
            var waiter = new Waiter(bytes, blocking);
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
                Interlocked.Decrement(ref _waiting);
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
        Interlocked.Add(ref _available, bytes);
        if (Volatile.Read(ref _waiting) == 0) return;
        lock (_lock) GrantWaiters();
    }

    /// <summary>Hands free bytes to waiters in line, first come first served. Call under the lock.</summary>
    private void GrantWaiters()
    {
        while (_waiters.First is { } first && TryTake(first.Value.Bytes))
        {
            _waiters.RemoveFirst();
            Interlocked.Decrement(ref _waiting);
            first.Value.Granted.TrySetResult();
            first.Value.Blocked?.Set();
        }
    }

    private sealed class Waiter(long bytes, bool blocking)
    {
        public long Bytes { get; } = bytes;

        /// <summary>Set on the grant, for a thread that blocks (no spinning); null for an async waiter.</summary>
        public ManualResetEventSlim? Blocked { get; } = blocking ? new ManualResetEventSlim(false, spinCount: 0) : null;
        public LinkedListNode<Waiter>? Node { get; set; }
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
