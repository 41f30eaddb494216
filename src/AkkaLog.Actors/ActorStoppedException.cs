namespace AkkaLog.Actors;

/// <summary>
/// Thrown to an Ask caller when the target actor is stopped, or stops (after a failure)
/// before it processed the message.
/// </summary>
public sealed class ActorStoppedException : InvalidOperationException
{
    /// <summary>Creates the exception for actor <paramref name="actorName"/>.</summary>
    public ActorStoppedException(string actorName, Exception? cause = null)
        : base($"Actor '{actorName}' is stopped.", cause)
    {
        ActorName = actorName;
    }

    /// <summary>Name of the stopped actor.</summary>
    public string ActorName { get; }
}
