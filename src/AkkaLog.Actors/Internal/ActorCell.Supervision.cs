namespace AkkaLog.Actors.Internal;

/// <summary>Supervision: deciding, restarting and stopping after a failure.</summary>
internal sealed partial class ActorCell<TMessage>
{
    private readonly SupervisorStrategy _supervisor;

    // Timestamps (TimeProvider ticks) of restarts inside the sliding window.
    private readonly Queue<long> _restarts = new();

    /// <summary>
    /// Applies the supervisor to <paramref name="cause"/>. Returns true when the loop may go on with
    /// the next message, false when the actor has been stopped.
    /// </summary>
    private async ValueTask<bool> RecoverAsync(Exception cause, string phase)
    {
        while (true)
        {
            var directive = Decide(cause);

            // A failed PreStartAsync leaves no usable instance, so there is nothing to resume.
            if (phase == "PreStartAsync" && directive == SupervisorDirective.Resume)
            {
                directive = SupervisorDirective.Restart;
            }

            ActorLog.Failed(Logger, Name, phase, directive, cause);
            if (directive == SupervisorDirective.Resume)
            {
                return true;
            }

            if (directive == SupervisorDirective.Restart)
            {
                if (TryCountRestart())
                {
                    var startFailure = await RestartInstanceAsync().ConfigureAwait(false);
                    if (startFailure is null)
                    {
                        return true;
                    }

                    cause = startFailure;
                    phase = "PreStartAsync";
                    continue;
                }

                ActorLog.TooManyRestarts(Logger, Name, _supervisor.MaxRestarts, _supervisor.Window);
            }

            StopAfterFailure(cause);
            return false;
        }
    }

    private SupervisorDirective Decide(Exception cause)
    {
        try
        {
            return _supervisor.Decider(cause);
        }
        catch (Exception)
        {
            // A throwing decider must not take the loop down; stopping is the safe answer.
            return SupervisorDirective.Stop;
        }
    }

    private bool TryCountRestart()
    {
        var now = Time.GetTimestamp();
        while (_restarts.Count > 0 && Time.GetElapsedTime(_restarts.Peek(), now) > _supervisor.Window)
        {
            _restarts.Dequeue();
        }

        if (_restarts.Count >= _supervisor.MaxRestarts)
        {
            return false;
        }

        _restarts.Enqueue(now);
        return true;
    }

    /// <summary>Replaces the instance; returns the exception if the new one fails to start.</summary>
    private async ValueTask<Exception?> RestartInstanceAsync()
    {
        // Timers belong to the failed instance; its queued timer messages are dropped on dequeue.
        CancelAllTimers();
        await ReleaseInstanceAsync().ConfigureAwait(false);
        try
        {
            _actor = CreateInstance();
        }
        catch (Exception exception)
        {
            return exception;
        }

        return await TryPreStartAsync().ConfigureAwait(false);
    }

    /// <summary>Runs PostStopAsync (if the instance started) and disposes the instance; never throws.</summary>
    private async ValueTask ReleaseInstanceAsync()
    {
        var actor = _actor;
        _actor = null;
        if (actor is null)
        {
            return;
        }

        try
        {
            if (_started)
            {
                await actor.InvokePostStopAsync().ConfigureAwait(false);
            }

            if (actor is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (actor is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
        catch (Exception exception)
        {
            ActorLog.StopFailed(Logger, Name, exception);
        }
        finally
        {
            _started = false;
        }
    }

    /// <summary>Closes the mailbox and drops what is queued, failing pending Asks.</summary>
    private void StopAfterFailure(Exception cause)
    {
        Failure ??= cause;
        _mailbox.Writer.TryComplete();
        var dropped = 0;
        while (_mailbox.Reader.TryRead(out var envelope))
        {
            envelope.Reply?.TryFail(new ActorStoppedException(Name, cause));
            dropped++;
        }

        if (dropped > 0)
        {
            ActorLog.DroppedMessages(Logger, Name, dropped);
        }
    }
}
