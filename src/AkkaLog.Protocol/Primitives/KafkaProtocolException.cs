using System.Diagnostics.CodeAnalysis;

namespace AkkaLog.Protocol;

/// <summary>
/// Thrown when bytes on the wire do not form a valid Kafka message: a short read, a negative
/// length other than -1, a length past the end of the input, an over-long varint, a null in a
/// non-nullable field, or an unsupported version. <see cref="ErrorCode"/> says what the broker
/// should answer with (usually <see cref="Protocol.ErrorCode.CorruptMessage"/> or
/// <see cref="Protocol.ErrorCode.UnsupportedVersion"/>); a connection that cannot frame the
/// next request should be closed.
/// </summary>
public class KafkaProtocolException : Exception
{
    /// <summary>Creates an exception for malformed input.</summary>
    public KafkaProtocolException(string message)
        : this(message, ErrorCode.CorruptMessage)
    {
    }

    /// <summary>Creates an exception that maps to <paramref name="errorCode"/> on the wire.</summary>
    public KafkaProtocolException(string message, ErrorCode errorCode)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The Kafka error code a broker would answer with.</summary>
    public ErrorCode ErrorCode { get; }

    /// <summary>Exception for a null value in a field that is not nullable in the version being written.</summary>
    public static KafkaProtocolException NonNullable(string field, short version) =>
        new($"Field {field} is not nullable in version {version}, but its value is null.", ErrorCode.InvalidRequest);

    /// <summary>Throws the exception for a message version outside the supported range.</summary>
    [DoesNotReturn]
    public static void ThrowUnsupportedVersion(string message, short version, short lowest, short highest) =>
        throw new KafkaProtocolException(
            $"{message} version {version} is not supported (supported: {lowest}-{highest}).",
            ErrorCode.UnsupportedVersion);

    /// <summary>Throws the exception for a null read where the version says the field is not nullable.</summary>
    [DoesNotReturn]
    public static void ThrowNullInNonNullable(string field) =>
        throw new KafkaProtocolException($"Field {field} is not nullable, but the input holds a null.");
}

/// <summary>Throw helpers that keep the hot read/write paths small.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ShortRead(int needed, int position, int available) =>
        throw new KafkaProtocolException(
            $"Unexpected end of input: needed {needed} byte(s) at offset {position}, {available} available.");

    [DoesNotReturn]
    public static void InvalidLength(string what, long length, int position) =>
        throw new KafkaProtocolException($"Invalid {what} length {length} at offset {position}.");

    [DoesNotReturn]
    public static void VarIntTooLong(int maxBytes, int position) =>
        throw new KafkaProtocolException($"Varint longer than {maxBytes} bytes at offset {position}.");

    [DoesNotReturn]
    public static void NullString() =>
        throw new KafkaProtocolException("Cannot write a null value as a non-nullable string.", ErrorCode.InvalidRequest);
}
