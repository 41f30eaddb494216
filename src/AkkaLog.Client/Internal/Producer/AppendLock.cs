namespace AkkaLog.Client.Internal.Producer;

/// <summary>
/// The lock of one partition queue. Taking it is a compare-and-swap, but releasing it is a plain
/// release store, not a fenced read-modify-write as <see cref="Lock"/>'s release is: the producer
/// releases it right after copying a record into the batch, and on x86 a fenced instruction waits
/// until every one of those stores has reached the cache (measured at 4-10% of the producer's CPU
/// at 1 KiB records). Holders keep it for a copy or a list change, so waiters spin, then yield.
/// </summary>
internal sealed class AppendLock
{
    private int _held;

    /// <summary>Takes the lock; dispose the result to release it.</summary>
    public Scope Hold()
    {
        if (Interlocked.CompareExchange(ref _held, 1, 0) != 0) WaitAndTake();
        return new Scope(this);
    }

    /// <summary>True while some thread holds the lock (for tests and asserts).</summary>
    public bool IsHeld => Volatile.Read(ref _held) != 0;

    private void WaitAndTake()
    {
        var spin = new SpinWait();
        do spin.SpinOnce();
        while (Volatile.Read(ref _held) != 0 || Interlocked.CompareExchange(ref _held, 1, 0) != 0);
    }

    /// <summary>Releases the lock when disposed, so <c>using (x.Hold())</c> releases it on every path out.</summary>
    public readonly ref struct Scope(AppendLock owner)
    {
        /// <summary>Releases the lock (a release store: earlier writes are seen before it is free).</summary>
        public void Dispose() => Volatile.Write(ref owner._held, 0);
    }
}
