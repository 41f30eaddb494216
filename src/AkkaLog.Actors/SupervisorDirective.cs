namespace AkkaLog.Actors;

/// <summary>
/// What an actor's supervisor does after <c>ReceiveAsync</c> throws.
/// </summary>
public enum SupervisorDirective
{
    /// <summary>Keep the current instance and its state; the failed message is skipped.</summary>
    Resume,

    /// <summary>
    /// Discard the instance, create a fresh one through the factory and run <c>PreStartAsync</c>,
    /// which rebuilds state from durable storage. Mailbox messages after the failed one are kept.
    /// </summary>
    Restart,

    /// <summary>Stop the actor; messages still queued are dropped and their Ask callers fail.</summary>
    Stop,
}
