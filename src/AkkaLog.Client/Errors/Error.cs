using AkkaLog.Protocol;

namespace AkkaLog.Client;

/// <summary>
/// A Kafka error: the wire <see cref="ErrorCode"/> and a human-readable reason. Whether it is worth
/// retrying comes from the one table in <see cref="ErrorCodes.IsRetriable"/>.
/// </summary>
/// <param name="Code">The Kafka error code (<see cref="ErrorCode.None"/> for success).</param>
/// <param name="Reason">What went wrong, with the broker's message when it sent one.</param>
public sealed record Error(ErrorCode Code, string Reason)
{
    /// <summary>Success.</summary>
    public static Error NoError { get; } = new(ErrorCode.None, "Success");

    /// <summary>Creates an error with Kafka's description of <paramref name="code"/>.</summary>
    public Error(ErrorCode code) : this(code, Describe(code)) { }

    /// <summary>True unless this is <see cref="ErrorCode.None"/>.</summary>
    public bool IsError => Code != ErrorCode.None;

    /// <summary>True when the same request may succeed later (leader moved, broker restarting...).</summary>
    public bool IsRetriable => ErrorCodes.IsRetriable(Code);

    /// <summary>Maps a response's raw error code and optional message to an <see cref="Error"/>.</summary>
    internal static Error FromWire(short code, string? message) =>
        code == 0 ? NoError : new(ErrorCodes.Normalize(code), string.IsNullOrEmpty(message) ? Describe(ErrorCodes.Normalize(code)) : message);

    /// <summary>Kafka's upper-snake name for the code, e.g. <c>NOT_LEADER_OR_FOLLOWER</c>.</summary>
    internal static string Describe(ErrorCode code)
    {
        var name = code.ToString();
        var sb = new System.Text.StringBuilder(name.Length + 8);
        for (int i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i])) sb.Append('_');
            sb.Append(char.ToUpperInvariant(name[i]));
        }
        return sb.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Code == ErrorCode.None ? "Success" : $"{Describe(Code)}: {Reason}";
}
