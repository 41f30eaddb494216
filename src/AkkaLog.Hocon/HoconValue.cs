namespace AkkaLog.Hocon;

/// <summary>
/// A node of a parsed HOCON tree: <see cref="HoconObject"/>, <see cref="HoconArray"/> or
/// <see cref="HoconScalar"/>. Trees returned by <see cref="HoconParser"/> are fully resolved
/// (no substitutions left) and should be treated as read-only.
/// </summary>
public abstract class HoconValue
{
    private protected HoconValue(HoconSource source) => Source = source;

    /// <summary>Where the value was written.</summary>
    public HoconSource Source { get; }
}
