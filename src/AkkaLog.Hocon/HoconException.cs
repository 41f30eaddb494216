namespace AkkaLog.Hocon;

/// <summary>
/// A HOCON syntax, include or substitution error. The message starts with
/// <c>file:line:column:</c> and names the key being parsed, e.g.
/// <c>hocon/single-node.conf:12:5: expected '=' or ':' after key 'log.dirs'</c>.
/// </summary>
public sealed class HoconException : Exception
{
    /// <summary>Creates the exception; <paramref name="detail"/> is the text after the position.</summary>
    public HoconException(HoconSource source, string detail, string? key = null, Exception? inner = null)
        : base($"{source}: {detail}", inner)
    {
        Position = source;
        Detail = detail;
        Key = key;
    }

    /// <summary>Position of the error.</summary>
    public HoconSource Position { get; }

    /// <summary>The message without the position prefix.</summary>
    public string Detail { get; }

    /// <summary>Dotted path of the key being parsed or resolved, when known.</summary>
    public string? Key { get; }
}
