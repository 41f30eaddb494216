namespace AkkaLog.Actors;

/// <summary>
/// The message-type-independent part of an actor reference: identity and lifecycle.
/// </summary>
public interface IActorRef
{
    /// <summary>The name the actor was spawned under, unique within its <see cref="ActorSystem"/>.</summary>
    string Name { get; }

    /// <summary>Completes (never faults) once the actor has stopped and its last instance is cleaned up.</summary>
    Task Completion { get; }

    /// <summary>
    /// Orderly stop: closes the mailbox to new messages, processes every message already queued,
    /// runs <c>PostStopAsync</c>, and completes when done. Idempotent. Do not await this from inside
    /// the actor itself (it would wait on its own loop); use <c>StopSelf</c> there.
    /// </summary>
    Task StopAsync();
}
