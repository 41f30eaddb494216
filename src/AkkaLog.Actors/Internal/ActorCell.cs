using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace AkkaLog.Actors.Internal;

/// <summary>
/// The runtime side of one actor: mailbox, the single loop reading it, the current instance,
/// timers and supervision. Everything except the enqueue methods runs on the loop only.
/// Split by concern: supervision in ActorCell.Supervision.cs, timers in ActorCell.Timers.cs.
/// </summary>
internal sealed partial class ActorCell<TMessage>
{
    private readonly Func<Actor<TMessage>> _factory;
    private readonly Channel<Envelope<TMessage>> _mailbox;
    private readonly Action<IActorRef> _onTerminated;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Ask replies of messages taken in the current turn (the message itself plus any taken
    // with TryReceiveNext); reused across turns to stay allocation-free.
    private readonly List<IAskReply> _turnReplies = [];

    private Actor<TMessage>? _actor;
    private bool _started;
    private bool _inTurn;

    public ActorCell(
        string name,
        Func<Actor<TMessage>> factory,
        SupervisorStrategy supervisor,
        int? mailboxCapacity,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        Action<IActorRef> onTerminated)
    {
        Name = name;
        _factory = factory;
        _supervisor = supervisor;
        _onTerminated = onTerminated;
        Time = time;
        _mailbox = mailboxCapacity is int capacity
            ? Channel.CreateBounded<Envelope<TMessage>>(new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.Wait,
            })
            : Channel.CreateUnbounded<Envelope<TMessage>>(new UnboundedChannelOptions { SingleReader = true });
        Self = new ActorRef<TMessage>(this);

        // The first instance is built on the caller's thread so a broken factory fails Spawn itself.
        _actor = CreateInstance();
        Logger = loggerFactory.CreateLogger(_actor.GetType());
    }

    public string Name { get; }

    public ActorRef<TMessage> Self { get; }

    public ILogger Logger { get; }

    public TimeProvider Time { get; }

    public Task Completion => _completion.Task;

    public Exception? Failure { get; private set; }

    public void Start() => _ = Task.Run(RunAsync);

    public bool TryEnqueue(in Envelope<TMessage> envelope) => _mailbox.Writer.TryWrite(envelope);

    public ValueTask<bool> EnqueueAsync(Envelope<TMessage> envelope, CancellationToken cancellationToken)
    {
        return _mailbox.Writer.TryWrite(envelope) ? new ValueTask<bool>(true) : WaitAndEnqueueAsync(envelope, cancellationToken);
    }

    public void RequestStop() => _mailbox.Writer.TryComplete();

    public Task StopAsync()
    {
        RequestStop();
        return Completion;
    }

    public bool TryReceiveNext([MaybeNullWhen(false)] out TMessage message)
    {
        if (!_inTurn)
        {
            throw new InvalidOperationException("TryReceiveNext may only be called from inside ReceiveAsync.");
        }

        while (_mailbox.Reader.TryRead(out var envelope))
        {
            if (Accept(envelope))
            {
                message = envelope.Message;
                return true;
            }
        }

        message = default;
        return false;
    }

    private async ValueTask<bool> WaitAndEnqueueAsync(Envelope<TMessage> envelope, CancellationToken cancellationToken)
    {
        try
        {
            await _mailbox.Writer.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ChannelClosedException)
        {
            return false;
        }
    }

    private async Task RunAsync()
    {
        try
        {
            var startFailure = await TryPreStartAsync().ConfigureAwait(false);
            if (startFailure is null || await RecoverAsync(startFailure, "PreStartAsync").ConfigureAwait(false))
            {
                await ProcessMailboxAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // Only a bug in the kernel itself gets here; actor exceptions go to the supervisor.
            StopAfterFailure(exception);
        }
        finally
        {
            await TerminateAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Runs until the mailbox is completed and empty, or the supervisor stops the actor.</summary>
    private async Task ProcessMailboxAsync()
    {
        var reader = _mailbox.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var envelope))
            {
                if (!Accept(envelope))
                {
                    continue;
                }

                Exception? failure = null;
                _inTurn = true;
                try
                {
                    await _actor!.InvokeReceiveAsync(envelope.Message).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    failure = exception;
                }

                _inTurn = false;
                if (failure is not null)
                {
                    foreach (var reply in _turnReplies)
                    {
                        reply.TryFail(failure);
                    }
                }

                _turnReplies.Clear();
                if (failure is not null && !await RecoverAsync(failure, "ReceiveAsync").ConfigureAwait(false))
                {
                    return;
                }
            }
        }
    }

    /// <summary>Prepares a dequeued envelope; false for a message of a cancelled or replaced timer.</summary>
    private bool Accept(in Envelope<TMessage> envelope)
    {
        if (envelope.Timer is { } timer && !AcceptTimer(timer))
        {
            return false;
        }

        if (envelope.Reply is { } reply)
        {
            _turnReplies.Add(reply);
        }

        return true;
    }

    private Actor<TMessage> CreateInstance()
    {
        var actor = _factory() ?? throw new InvalidOperationException($"The factory of actor '{Name}' returned null.");
        actor.Attach(this);
        _started = false;
        return actor;
    }

    private async ValueTask<Exception?> TryPreStartAsync()
    {
        try
        {
            await _actor!.InvokePreStartAsync().ConfigureAwait(false);
            _started = true;
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    private async Task TerminateAsync()
    {
        CancelAllTimers();
        await ReleaseInstanceAsync().ConfigureAwait(false);
        ActorLog.Stopped(Logger, Name);
        _onTerminated(Self);
        _completion.TrySetResult();
    }
}
