using AkkaLog.Actors.Internal;

namespace AkkaLog.Actors;

/// <summary>
/// A handle to an actor accepting messages of type <typeparamref name="TMessage"/>. Thread-safe;
/// any number of senders may call it concurrently. Messages from one sender arrive in the order
/// sent; there is no order between different senders.
/// </summary>
public sealed class ActorRef<TMessage> : IActorRef
{
    private readonly ActorCell<TMessage> _cell;

    internal ActorRef(ActorCell<TMessage> cell) => _cell = cell;

    /// <inheritdoc />
    public string Name => _cell.Name;

    /// <inheritdoc />
    public Task Completion => _cell.Completion;

    /// <summary>True once the actor has fully stopped.</summary>
    public bool IsStopped => _cell.Completion.IsCompleted;

    /// <summary>The exception that made the supervisor stop the actor, or null.</summary>
    public Exception? Failure => _cell.Failure;

    /// <summary>
    /// Enqueues <paramref name="message"/> without waiting. Returns false when the actor is
    /// stopping or stopped, or when a bounded mailbox is full (use <see cref="TellAsync"/> to wait for room).
    /// </summary>
    public bool Tell(TMessage message) => _cell.TryEnqueue(new Envelope<TMessage>(message, null, null));

    /// <summary>
    /// Enqueues <paramref name="message"/>, waiting for room in a bounded mailbox.
    /// Returns false when the actor is stopping or stopped.
    /// </summary>
    public ValueTask<bool> TellAsync(TMessage message, CancellationToken cancellationToken = default) =>
        _cell.EnqueueAsync(new Envelope<TMessage>(message, null, null), cancellationToken);

    /// <summary>
    /// Request/response. <paramref name="messageFactory"/> builds the message around a reply
    /// channel that the actor completes (<c>TrySetResult</c>/<c>TrySetException</c>). If the actor's
    /// <c>ReceiveAsync</c> throws while handling the message, the Ask fails with that exception;
    /// if the actor is or becomes stopped first, with <see cref="ActorStoppedException"/>.
    /// </summary>
    /// <exception cref="AskTimeoutException">No reply within <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/> waits forever); a late reply is discarded.</exception>
    public async Task<TReply> Ask<TReply>(
        Func<TaskCompletionSource<TReply>, TMessage> messageFactory,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var reply = new AskReply<TReply>();
        var envelope = new Envelope<TMessage>(messageFactory(reply), reply, null);
        var time = _cell.Time;
        var start = time.GetTimestamp();
        var wait = timeout;
        try
        {
            if (!_cell.TryEnqueue(envelope))
            {
                // Stopped, or a bounded mailbox is full: wait for room within the same timeout.
                var written = await _cell.EnqueueAsync(envelope, cancellationToken).AsTask()
                    .WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
                if (!written)
                {
                    throw new ActorStoppedException(Name, _cell.Failure);
                }

                wait = Remaining(timeout, time, start);
            }

            return await reply.Task.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!reply.Task.IsCompleted)
        {
            reply.TrySetCanceled(CancellationToken.None);
            throw new AskTimeoutException(Name, timeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reply.TrySetCanceled(cancellationToken);
            throw;
        }
    }

    private static TimeSpan Remaining(TimeSpan timeout, TimeProvider time, long start)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return timeout;
        }

        var left = timeout - time.GetElapsedTime(start);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <inheritdoc />
    public Task StopAsync() => _cell.StopAsync();

    /// <inheritdoc />
    public override string ToString() => $"ActorRef({Name})";
}
