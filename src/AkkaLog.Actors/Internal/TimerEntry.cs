namespace AkkaLog.Actors.Internal;

/// <summary>
/// One scheduled timer. The callback runs on a thread-pool thread and only writes to the
/// mailbox; the actor's timer table is touched by the actor loop alone.
/// </summary>
internal sealed class TimerEntry<TMessage> : IDisposable
{
    private readonly ActorCell<TMessage> _cell;
    private ITimer? _timer;

    // 1 while a periodic tick sits undelivered in the mailbox: a slow actor then gets one
    // pending tick rather than a backlog of them.
    private int _tickPending;

    public TimerEntry(ActorCell<TMessage> cell, string key, TMessage message, bool periodic)
    {
        _cell = cell;
        Key = key;
        Message = message;
        IsPeriodic = periodic;
    }

    public string Key { get; }

    public TMessage Message { get; }

    public bool IsPeriodic { get; }

    public void Start(TimeProvider time, TimeSpan dueTime, TimeSpan period) =>
        _timer = time.CreateTimer(static state => ((TimerEntry<TMessage>)state!).Fire(), this, dueTime, period);

    /// <summary>Called by the loop when this entry's message is dequeued.</summary>
    public void MarkDelivered() => Volatile.Write(ref _tickPending, 0);

    public void Dispose() => _timer?.Dispose();

    private void Fire()
    {
        if (IsPeriodic && Interlocked.Exchange(ref _tickPending, 1) == 1)
        {
            return;
        }

        _cell.EnqueueTimer(this);
    }
}
