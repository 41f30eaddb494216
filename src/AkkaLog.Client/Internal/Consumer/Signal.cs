namespace AkkaLog.Client.Internal.Consumer;

/// <summary>
/// A wake-up for one kind of waiter: take <see cref="Current"/> before looking for work, wait on it
/// when there is none; <see cref="Set"/> completes it and installs a fresh one. Taking the task first
/// means a Set between the look and the wait is never missed. Safe from any thread.
/// </summary>
internal sealed class Signal
{
    private TaskCompletionSource _current = New();

    /// <summary>Completes at the next <see cref="Set"/>.</summary>
    public Task Current => Volatile.Read(ref _current).Task;

    /// <summary>Wakes whoever waits on the current task.</summary>
    public void Set() => Interlocked.Exchange(ref _current, New()).TrySetResult();

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
