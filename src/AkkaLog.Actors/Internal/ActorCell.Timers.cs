namespace AkkaLog.Actors.Internal;

/// <summary>Timers: messages the actor schedules for itself, delivered through the mailbox.</summary>
internal sealed partial class ActorCell<TMessage>
{
    private readonly Dictionary<string, TimerEntry<TMessage>> _timers = new(StringComparer.Ordinal);

    public void ScheduleTimer(string key, TMessage message, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(key);
        CancelTimer(key);
        var entry = new TimerEntry<TMessage>(this, key, message, period != Timeout.InfiniteTimeSpan);
        _timers[key] = entry;
        entry.Start(Time, dueTime, period);
    }

    public bool CancelTimer(string key)
    {
        if (!_timers.Remove(key, out var entry))
        {
            return false;
        }

        entry.Dispose();
        return true;
    }

    public bool IsTimerActive(string key) => _timers.ContainsKey(key);

    /// <summary>Called from a timer thread.</summary>
    public void EnqueueTimer(TimerEntry<TMessage> entry)
    {
        var envelope = new Envelope<TMessage>(entry.Message, null, entry);
        if (!_mailbox.Writer.TryWrite(envelope))
        {
            // A full bounded mailbox must not lose a timer message; a closed one just drops it.
            _ = WaitAndEnqueueAsync(envelope, CancellationToken.None).AsTask();
        }
    }

    private bool AcceptTimer(TimerEntry<TMessage> timer)
    {
        timer.MarkDelivered();
        if (!_timers.TryGetValue(timer.Key, out var current) || !ReferenceEquals(current, timer))
        {
            return false;
        }

        if (!timer.IsPeriodic)
        {
            _timers.Remove(timer.Key);
            timer.Dispose();
        }

        return true;
    }

    private void CancelAllTimers()
    {
        foreach (var entry in _timers.Values)
        {
            entry.Dispose();
        }

        _timers.Clear();
    }
}
