namespace AkkaLog.Actors;

/// <summary>
/// Decides what happens when an actor throws, and bounds restarts: once more than
/// <see cref="MaxRestarts"/> restarts would happen inside <see cref="Window"/>, the actor stops
/// instead, so a persistently failing actor (a corrupt log, a full disk) does not spin forever.
/// </summary>
/// <param name="Decider">Maps the exception to a directive. Failures in <c>PreStartAsync</c>
/// can only restart (counted against the limit) or stop; <see cref="SupervisorDirective.Resume"/>
/// is treated as a restart there because no usable instance exists.</param>
/// <param name="MaxRestarts">Restarts allowed within <paramref name="Window"/>; 0 stops on the first failure that would restart.</param>
/// <param name="Window">Sliding window, measured on the system's <see cref="TimeProvider"/>.</param>
public sealed record SupervisorStrategy(
    Func<Exception, SupervisorDirective> Decider,
    int MaxRestarts,
    TimeSpan Window)
{
    /// <summary>Restart on any exception, at most 10 times per minute (the default).</summary>
    public static SupervisorStrategy Default { get; } = Restart(10, TimeSpan.FromMinutes(1));

    /// <summary>Skip the failed message and keep going, whatever the exception.</summary>
    public static SupervisorStrategy ResumeAlways { get; } =
        new(static _ => SupervisorDirective.Resume, 0, TimeSpan.Zero);

    /// <summary>Stop on the first exception.</summary>
    public static SupervisorStrategy StopOnFailure { get; } =
        new(static _ => SupervisorDirective.Stop, 0, TimeSpan.Zero);

    /// <summary>Restart on any exception, at most <paramref name="maxRestarts"/> times within <paramref name="window"/>.</summary>
    public static SupervisorStrategy Restart(int maxRestarts, TimeSpan window) =>
        new(static _ => SupervisorDirective.Restart, maxRestarts, window);
}
