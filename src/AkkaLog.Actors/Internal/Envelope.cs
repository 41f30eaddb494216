namespace AkkaLog.Actors.Internal;

/// <summary>
/// A mailbox entry: the message plus what the loop needs to know about it. <see cref="Reply"/>
/// is set for Asks (so a failure can be passed to the caller), <see cref="Timer"/> for timer
/// messages (so a message from a cancelled or replaced timer can be dropped on dequeue).
/// </summary>
internal readonly struct Envelope<TMessage>(TMessage message, IAskReply? reply, TimerEntry<TMessage>? timer)
{
    public TMessage Message { get; } = message;

    public IAskReply? Reply { get; } = reply;

    public TimerEntry<TMessage>? Timer { get; } = timer;
}
