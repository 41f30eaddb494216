using System.Diagnostics.CodeAnalysis;
using AkkaLog.Actors.Internal;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Actors;

/// <summary>
/// Base class of a typed actor. Its state is private and touched only by one mailbox loop, so
/// <see cref="ReceiveAsync"/>, <see cref="PreStartAsync"/>, <see cref="PostStopAsync"/> and timer
/// callbacks never run concurrently and need no locks.
/// <para>Lifecycle of one instance: constructor (through the spawn factory), <see cref="PreStartAsync"/>
/// (load durable state; messages sent meanwhile wait in the mailbox), <see cref="ReceiveAsync"/> per
/// message, <see cref="PostStopAsync"/> (only if PreStartAsync succeeded), then <c>Dispose</c>/<c>DisposeAsync</c>
/// if implemented. A supervisor restart runs this again on a fresh instance; in-memory state is lost,
/// which is why state must be rebuildable in PreStartAsync.</para>
/// <para><see cref="Self"/>, <see cref="Logger"/> and timers are available from PreStartAsync on,
/// not in the constructor.</para>
/// </summary>
public abstract class Actor<TMessage>
{
    private ActorCell<TMessage>? _cell;

    /// <summary>This actor's own reference, e.g. to send itself async results as messages.</summary>
    protected ActorRef<TMessage> Self => Cell.Self;

    /// <summary>Logger whose category is the actor's type.</summary>
    protected ILogger Logger => Cell.Logger;

    /// <summary>The actor system's clock; use it instead of <see cref="DateTime.UtcNow"/> so tests control time.</summary>
    protected TimeProvider TimeProvider => Cell.Time;

    private ActorCell<TMessage> Cell => _cell ?? throw new InvalidOperationException(
        "The actor is not attached to a mailbox yet; Self, Logger and timers are available from PreStartAsync on.");

    /// <summary>Handles one message. An exception goes to the supervisor strategy.</summary>
    protected abstract ValueTask ReceiveAsync(TMessage message);

    /// <summary>Runs before the first message of this instance; load durable state here.</summary>
    protected virtual ValueTask PreStartAsync() => ValueTask.CompletedTask;

    /// <summary>Runs after the last message of this instance, on stop and before a restart.</summary>
    protected virtual ValueTask PostStopAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Takes the next queued message, if any, without waiting, so one <see cref="ReceiveAsync"/> call can
    /// handle a batch (e.g. append many produce requests, then fsync and reply once). Only valid inside
    /// ReceiveAsync. Messages taken this way belong to the current turn: if ReceiveAsync then throws,
    /// their Ask callers fail too.
    /// </summary>
    protected bool TryReceiveNext([MaybeNullWhen(false)] out TMessage message) => Cell.TryReceiveNext(out message);

    /// <summary>
    /// Delivers <paramref name="message"/> through the mailbox once after <paramref name="delay"/>.
    /// Replaces any timer with the same key; a message of the replaced timer still queued is dropped.
    /// </summary>
    protected void ScheduleOnce(string key, TimeSpan delay, TMessage message) =>
        Cell.ScheduleTimer(key, message, delay, Timeout.InfiniteTimeSpan);

    /// <summary>Delivers <paramref name="message"/> every <paramref name="interval"/>, first after one interval.</summary>
    protected void SchedulePeriodic(string key, TimeSpan interval, TMessage message) =>
        Cell.ScheduleTimer(key, message, interval, interval);

    /// <summary>
    /// Delivers <paramref name="message"/> after <paramref name="initialDelay"/>, then every
    /// <paramref name="interval"/>. A slow actor gets at most one undelivered tick, not a backlog.
    /// </summary>
    protected void SchedulePeriodic(string key, TimeSpan initialDelay, TimeSpan interval, TMessage message) =>
        Cell.ScheduleTimer(key, message, initialDelay, interval);

    /// <summary>Cancels the timer; a message of it still queued is dropped. False if no such timer.</summary>
    protected bool CancelTimer(string key) => Cell.CancelTimer(key);

    /// <summary>True while the timer is scheduled (a once-timer until its message is received).</summary>
    protected bool IsTimerActive(string key) => Cell.IsTimerActive(key);

    /// <summary>
    /// Orderly stop from inside the actor: closes the mailbox; queued messages are still processed.
    /// </summary>
    protected void StopSelf() => Cell.RequestStop();

    internal void Attach(ActorCell<TMessage> cell) => _cell = cell;

    internal ValueTask InvokeReceiveAsync(TMessage message) => ReceiveAsync(message);

    internal ValueTask InvokePreStartAsync() => PreStartAsync();

    internal ValueTask InvokePostStopAsync() => PostStopAsync();
}
