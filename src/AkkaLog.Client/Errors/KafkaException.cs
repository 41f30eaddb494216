using System.Diagnostics.CodeAnalysis;
using AkkaLog.Protocol;

namespace AkkaLog.Client;

/// <summary>
/// A request the client could not complete: carries the Kafka <see cref="Error"/> (code and reason).
/// Retriable errors have already been retried until the operation's time limit when this reaches you.
/// </summary>
public class KafkaException : Exception
{
    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    public KafkaException(Error error, Exception? inner = null) : base(error.ToString(), inner) => Error = error;

    /// <summary>Creates an exception for <paramref name="code"/> with <paramref name="reason"/>.</summary>
    public KafkaException(ErrorCode code, string reason, Exception? inner = null) : this(new Error(code, reason), inner) { }

    /// <summary>What went wrong.</summary>
    public Error Error { get; }

    /// <summary>The Kafka error code.</summary>
    public ErrorCode Code => Error.Code;

    /// <summary>True when the error is one Kafka calls retriable (the operation may succeed if tried again later).</summary>
    public bool IsRetriable => Error.IsRetriable;

    /// <summary>Throw helper that keeps callers' hot paths small.</summary>
    [DoesNotReturn]
    internal static void Throw(ErrorCode code, string reason) => throw new KafkaException(code, reason);
}
