namespace AkkaLog.Actors;

/// <summary>
/// Thrown by <see cref="ActorRef{TMessage}.Ask{TReply}"/> when no reply arrives in time.
/// The actor may still process the message later; its reply is then discarded.
/// </summary>
public sealed class AskTimeoutException : TimeoutException
{
    /// <summary>Creates the exception for an ask to <paramref name="actorName"/>.</summary>
    public AskTimeoutException(string actorName, TimeSpan timeout)
        : base($"Ask to actor '{actorName}' timed out after {timeout}.")
    {
        ActorName = actorName;
        Timeout = timeout;
    }

    /// <summary>Name of the actor that did not answer.</summary>
    public string ActorName { get; }

    /// <summary>The timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}
