using Microsoft.Extensions.Logging;

namespace AkkaLog.Actors.Internal;

/// <summary>Log messages of the actor kernel, with fixed event ids.</summary>
internal static partial class ActorLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Actor '{Actor}' failed in {Phase}; directive {Directive}")]
    public static partial void Failed(ILogger logger, string actor, string phase, SupervisorDirective directive, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Actor '{Actor}' restarted {Count} times within {Window}; stopping")]
    public static partial void TooManyRestarts(ILogger logger, string actor, int count, TimeSpan window);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Actor '{Actor}' stopped after a failure; dropped {Count} queued messages")]
    public static partial void DroppedMessages(ILogger logger, string actor, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Actor '{Actor}' failed in PostStopAsync or Dispose")]
    public static partial void StopFailed(ILogger logger, string actor, Exception exception);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Actor '{Actor}' stopped")]
    public static partial void Stopped(ILogger logger, string actor);
}
